import { UploadOutlined } from '@ant-design/icons';
import { RegisterIncoming as RegisterIncomingSchema, SECRECIES, URGENCIES } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { foldFilter } from '../../util.ts';
import { zodRule } from '../rules.ts';
import { fileUrl, uploadFile, useDocumentTypes, useRegisters } from './data.ts';

interface FormValues {
  registerId: string;
  typeId: string;
  number?: string;
  notation?: string;
  issuedOn?: Dayjs;
  issuerName: string;
  subject: string;
  signerName?: string;
  signerPosition?: string;
  urgency: (typeof URGENCIES)[number];
  secrecy: (typeof SECRECIES)[number];
  pageCount?: number;
  dueOn?: Dayjs;
}

/** The clerk enters a paper document: its fields from the original and the scan as a PDF. */
export default function RegisterIncoming() {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const registers = useRegisters();
  const types = useDocumentTypes();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const fail = useFail();
  const { message } = App.useApp();
  const [scan, setScan] = useState<{ sha256: string; name: string; mime: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  // One key per form session: a retried submit registers once.
  const idempotencyKey = useMemo(() => crypto.randomUUID().replaceAll('-', ''), []);
  const incoming = (registers.data ?? []).filter((r) => r.kind === 'incoming');
  const secrecy = Form.useWatch('secrecy', form);

  const save = useMutation({
    mutationFn: async (v: FormValues) => {
      return api.post<{ documentId: string; number: number; year: number }>(
        '/api/documents/incoming',
        {
          registerId: v.registerId,
          typeId: v.typeId,
          number: v.number || undefined,
          notation: v.notation || undefined,
          issuedOn: v.issuedOn?.format('YYYY-MM-DD'),
          issuerName: v.issuerName,
          subject: v.subject,
          signerName: v.signerName || undefined,
          signerPosition: v.signerPosition || undefined,
          urgency: v.urgency,
          secrecy: v.secrecy,
          pageCount: v.pageCount ?? undefined,
          dueOn: v.dueOn?.format('YYYY-MM-DD'),
          files: scan ? [{ sha256: scan.sha256, name: scan.name, role: 'scan' }] : [],
        },
        { 'idempotency-key': idempotencyKey },
      );
    },
    onSuccess: async (r) => {
      void message.success(t('documents.register.done', { number: r.number, year: r.year }));
      await qc.invalidateQueries({ queryKey: ['worklist-counts'] });
      await navigate({ to: '/van-ban/$id', params: { id: r.documentId } });
    },
    onError: fail,
  });

  // Secret documents go into the secret register (sổ mật) of the same agency.
  const registerOptions = incoming
    .filter((r) => (secrecy && secrecy !== 'none' ? r.secret : !r.secret))
    .map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('documents.register.heading')}</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} xl={scan?.mime === 'application/pdf' ? 12 : 24}>
          <Card>
            <Form<FormValues>
              form={form}
              layout="vertical"
              initialValues={{ urgency: 'normal', secrecy: 'none' }}
              onFinish={(v) => save.mutate(v)}
            >
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="secrecy" label={t('documents.field.secrecy')}>
                    <Select
                      options={SECRECIES.map((s) => ({ value: s, label: t(`documents.secrecy.${s}`) }))}
                      onChange={() => form.setFieldValue('registerId', undefined)}
                    />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="registerId"
                    label={t('documents.field.register')}
                    rules={[{ required: true, message: t('error.required') }]}
                  >
                    <Select options={registerOptions} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="typeId"
                    label={t('documents.field.type')}
                    rules={[{ required: true, message: t('error.required') }]}
                  >
                    <Select
                      showSearch
                      filterOption={foldFilter}
                      options={(types.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
                    />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="urgency" label={t('documents.field.urgency')}>
                    <Select
                      options={URGENCIES.map((u) => ({ value: u, label: t(`documents.urgency.${u}`) }))}
                    />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item name="number" label={t('documents.field.number')}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={10}>
                  <Form.Item name="notation" label={t('documents.field.notation')}>
                    <Input placeholder="QĐ-UBND" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="issuedOn" label={t('documents.field.issuedOn')}>
                    <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item
                    name="issuerName"
                    label={t('documents.field.issuer')}
                    rules={[
                      { required: true, message: t('error.required') },
                      zodRule(RegisterIncomingSchema.shape.issuerName),
                    ]}
                  >
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={24}>
                  <Form.Item
                    name="subject"
                    label={t('documents.field.subject')}
                    rules={[
                      { required: true, message: t('error.required') },
                      zodRule(RegisterIncomingSchema.shape.subject),
                    ]}
                  >
                    <Input.TextArea rows={3} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="signerName" label={t('documents.field.signerName')}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="signerPosition" label={t('documents.field.signerPosition')}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="pageCount" label={t('documents.field.pageCount')}>
                    <InputNumber min={1} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="dueOn" label={t('documents.field.dueOn')}>
                    <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label={t('documents.field.files')}>
                <Upload
                  accept=".pdf,application/pdf,image/jpeg,image/png"
                  maxCount={1}
                  showUploadList={false}
                  customRequest={async (o) => {
                    setUploading(true);
                    try {
                      const f = await uploadFile(o.file as File);
                      setScan(f);
                      o.onSuccess?.(f);
                    } catch (e) {
                      fail(e);
                      o.onError?.(e as Error);
                    } finally {
                      setUploading(false);
                    }
                  }}
                >
                  <Button icon={<UploadOutlined />} loading={uploading}>
                    {t('documents.register.upload')}
                  </Button>
                </Upload>
                {scan && (
                  <Typography.Link href={fileUrl(scan.sha256)} target="_blank" style={{ marginLeft: 12 }}>
                    {scan.name}
                  </Typography.Link>
                )}
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('documents.register.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        {scan?.mime === 'application/pdf' && (
          <Col xs={24} xl={12}>
            <Card title={t('documents.register.preview')}>
              <iframe
                title={t('documents.register.preview')}
                src={fileUrl(scan.sha256)}
                style={{ width: '100%', height: 720, border: 0 }}
              />
            </Card>
          </Col>
        )}
      </Row>
    </Space>
  );
}
