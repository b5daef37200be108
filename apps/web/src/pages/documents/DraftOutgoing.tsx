import { UploadOutlined } from '@ant-design/icons';
import { CreateOutgoing, SECRECIES, URGENCIES } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { useMe } from '../../session.ts';
import { foldFilter } from '../../util.ts';
import { useAgencies } from '../org/data.ts';
import { zodRule } from '../rules.ts';
import { uploadFile, useDocument, useDocumentTypes, useExchangeDirectory } from './data.ts';
import { ChainFields, chainSteps } from './Handling.tsx';

interface FormValues {
  agencyId: string;
  typeId: string;
  subject: string;
  draftingUnit?: string;
  typistInitials?: string;
  signerCompetence?: string;
  signerPosition?: string;
  signerName?: string;
  urgency: (typeof URGENCIES)[number];
  secrecy: (typeof SECRECIES)[number];
  pageCount?: number;
  recipientAgencies?: string[];
  externalAgencies?: string[];
  otherRecipients?: string;
  reviewerIds: string[];
  parallel?: string[];
}

/** Dự thảo văn bản đi: the draft file, the fields of the form and the reviewers in order. */
export default function DraftOutgoing() {
  const { t } = useTranslation();
  const me = useMe();
  const { replyTo } = useSearch({ strict: false }) as { replyTo?: string };
  const answered = useDocument(replyTo ?? '', !!replyTo);
  const myAgencies = [...new Map(me.memberships.map((m) => [m.agencyId, m.agencyName])).entries()];
  const [form] = Form.useForm<FormValues>();
  const agencyId = Form.useWatch('agencyId', form) ?? myAgencies[0]?.[0];
  const types = useDocumentTypes();
  const agencies = useAgencies();
  const directory = useExchangeDirectory();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const fail = useFail();
  const { message } = App.useApp();
  const [file, setFile] = useState<{ sha256: string; name: string } | null>(null);
  const [uploading, setUploading] = useState(false);

  const save = useMutation({
    mutationFn: (v: FormValues) =>
      api.post<{ documentId: string }>('/api/documents/outgoing', {
        agencyId: v.agencyId,
        typeId: v.typeId,
        subject: v.subject,
        ...(v.draftingUnit && { draftingUnit: v.draftingUnit }),
        ...(v.typistInitials && { typistInitials: v.typistInitials }),
        ...(v.signerCompetence && { signerCompetence: v.signerCompetence }),
        ...(v.signerPosition && { signerPosition: v.signerPosition }),
        ...(v.signerName && { signerName: v.signerName }),
        urgency: v.urgency,
        secrecy: v.secrecy,
        ...(v.pageCount && { pageCount: v.pageCount }),
        files: file ? [{ sha256: file.sha256, name: file.name, role: 'main' }] : [],
        recipients: [
          ...(v.recipientAgencies ?? []).map((agencyId) => ({ agencyId })),
          ...(v.externalAgencies ?? []).map((code) => ({
            agencyCode: code,
            name: directory.data?.find((a) => a.code === code)?.name ?? code,
          })),
          ...(v.otherRecipients ?? '')
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean)
            .map((name) => ({ name })),
        ],
        steps: chainSteps(v),
        ...(replyTo && { replyToId: replyTo }),
      }),
    onSuccess: async (r) => {
      void message.success(t('documents.draft.created'));
      await qc.invalidateQueries({ queryKey: ['worklist-counts'] });
      if (replyTo) await qc.invalidateQueries({ queryKey: ['document', replyTo] });
      await navigate({ to: '/van-ban/$id', params: { id: r.documentId } });
    },
    onError: fail,
  });

  const required = { required: true, message: t('error.required') };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('documents.draft.heading')}</Typography.Title>
      {replyTo && answered.data && (
        <Typography.Text>
          {t('documents.field.replyTo')}: <b>{answered.data.typeName}</b> {answered.data.subject}
        </Typography.Text>
      )}
      <Card>
        <Form<FormValues>
          form={form}
          layout="vertical"
          initialValues={{
            urgency: 'normal',
            secrecy: 'none',
            agencyId: myAgencies[0]?.[0],
            typeId: 'cong_van',
          }}
          onFinish={(v) => save.mutate(v)}
        >
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="agencyId" label={t('documents.field.agency')} rules={[required]}>
                <Select options={myAgencies.map(([value, label]) => ({ value, label }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="typeId" label={t('documents.field.type')} rules={[required]}>
                <Select
                  showSearch
                  filterOption={foldFilter}
                  options={(types.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="subject"
                label={t('documents.field.subject')}
                rules={[required, zodRule(CreateOutgoing.shape.subject)]}
              >
                <Input.TextArea rows={3} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="draftingUnit"
                label={t('documents.field.draftingUnit')}
                rules={[zodRule(CreateOutgoing.shape.draftingUnit)]}
              >
                <Input placeholder="VP" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="typistInitials" label={t('documents.field.typistInitials')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="urgency" label={t('documents.field.urgency')}>
                <Select options={URGENCIES.map((u) => ({ value: u, label: t(`documents.urgency.${u}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="secrecy" label={t('documents.field.secrecy')}>
                <Select options={SECRECIES.map((s) => ({ value: s, label: t(`documents.secrecy.${s}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="signerCompetence" label={t('documents.field.signerCompetence')}>
                <Select
                  allowClear
                  options={['TM.', 'KT.', 'TL.', 'TUQ.', 'Q.'].map((x) => ({ value: x, label: x }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="signerPosition" label={t('documents.field.signerPosition')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="signerName" label={t('documents.field.signerName')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="pageCount" label={t('documents.field.pageCount')}>
                <InputNumber min={1} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="recipientAgencies" label={t('documents.field.recipients')}>
                <Select
                  mode="multiple"
                  filterOption={foldFilter}
                  options={(agencies.data ?? [])
                    .filter((a) => a.id !== agencyId)
                    .map((a) => ({ value: a.id, label: a.name }))}
                />
              </Form.Item>
            </Col>
            {(directory.data ?? []).length > 0 && (
              <Col xs={24} md={12}>
                <Form.Item name="externalAgencies" label={t('documents.exchange.externalRecipients')}>
                  <Select
                    mode="multiple"
                    filterOption={foldFilter}
                    options={(directory.data ?? []).map((a) => ({
                      value: a.code,
                      label: `${a.name} (${a.code})`,
                    }))}
                  />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={12}>
              <Form.Item name="otherRecipients" label={t('documents.field.otherRecipients')}>
                <Input.TextArea rows={2} placeholder="Lưu: VT, TH." />
              </Form.Item>
            </Col>
            <ChainFields agencyId={agencyId} exclude={me.id} />
          </Row>
          <Form.Item label={t('documents.draft.upload')}>
            <Upload
              accept=".pdf,.docx,application/pdf"
              maxCount={1}
              showUploadList={false}
              customRequest={async (o) => {
                setUploading(true);
                try {
                  const f = await uploadFile(o.file as File);
                  setFile(f);
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
                {t('documents.draft.upload')}
              </Button>
            </Upload>
            {file && <Typography.Text style={{ marginLeft: 12 }}>{file.name}</Typography.Text>}
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('documents.view.submit')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
