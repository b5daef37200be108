import { UploadOutlined } from '@ant-design/icons';
import { Applicant as ApplicantSchema, type DossierView, type ProcedureComponent } from '@congvu/contracts';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { useMe } from '../../session.ts';
import { foldFilter, formatDateTime } from '../../util.ts';
import { uploadFile } from '../documents/data.ts';
import { formUrl, money, useProcedure, useProcedures, useStoreItems } from './data.ts';

interface CheckRow {
  spec: ProcedureComponent;
  received: boolean;
  originals: number;
  certified: number;
  copies: number;
  blob?: string;
  fileName?: string;
  storeItemId?: string;
}

interface FormValues {
  procedureId: string;
  caseId: string;
  kind: 1 | 2;
  name: string;
  idNo?: string;
  birthDate?: Dayjs;
  address?: string;
  phone?: string;
  email?: string;
  repName?: string;
  repIdNo?: string;
  repRelation?: string;
  summary?: string;
  sets: number;
}

/**
 * The counter officer receives a paper dossier: the procedure and case, the applicant, the papers
 * ticked against the catalogue's list (counts, scans, or reused from the citizen's data store),
 * fees paid; then the receipt with the due date is printed. Keyboard: Tab through, Ctrl+Enter saves.
 */
export default function Reception() {
  const { t } = useTranslation();
  const me = useMe();
  const [form] = Form.useForm<FormValues>();
  const navigate = useNavigate();
  const fail = useFail();
  const { message } = App.useApp();
  const agencyId =
    me.roles.find((r) => r.role === 'counter' && r.agencyId)?.agencyId ?? me.memberships[0]?.agencyId;
  const procedures = useProcedures(agencyId);
  const procedureId = Form.useWatch('procedureId', form);
  const caseId = Form.useWatch('caseId', form);
  const idNo = Form.useWatch('idNo', form);
  const procedure = useProcedure(procedureId);
  const theCase = procedure.data?.cases.find((c) => c.id === caseId);
  const channel = theCase?.channels.find((c) => c.channel === 1);
  const store = useStoreItems(idNo?.trim());
  const [rows, setRows] = useState<CheckRow[]>([]);
  const [paid, setPaid] = useState<Record<number, string | true>>({});
  const idempotencyKey = useMemo(() => crypto.randomUUID().replaceAll('-', ''), []);

  // A new case: its papers become the checklist (required ones ticked).
  useEffect(() => {
    setRows(
      (theCase?.components ?? []).map((spec) => ({
        spec,
        received: spec.required && !spec.alternativeGroup,
        originals: spec.originals,
        certified: spec.certified,
        copies: spec.copies,
      })),
    );
    setPaid({});
  }, [theCase]);

  // One case only: pick it.
  useEffect(() => {
    const cases = procedure.data?.cases ?? [];
    if (cases.length === 1) form.setFieldValue('caseId', cases[0]!.id);
  }, [procedure.data, form]);

  /** Positions of the channel's fees that must be paid at reception (thu trước, not 0 đồng). */
  const dueNow = (channel?.fees ?? []).flatMap((f, i) => (f.when === 'before' && f.amount > 0 ? [i] : []));

  const update = (i: number, patch: Partial<CheckRow>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const missing = rows.filter((r) => r.spec.required && !r.spec.alternativeGroup && !r.received);
      if (missing.length)
        throw new Error(
          t('oneStop.reception.missingRequired', { names: missing.map((r) => r.spec.name).join('; ') }),
        );
      // "Thu trước" fees are collected with the dossier (the server refuses the reception otherwise).
      const unpaid = dueNow.filter((i) => paid[i] === undefined);
      if (unpaid.length)
        throw new Error(
          t('oneStop.reception.unpaidBefore', {
            names: unpaid
              .map((i) => `${channel?.fees[i]?.name} (${money(channel?.fees[i]?.amount ?? 0)})`)
              .join('; '),
          }),
        );
      return api.post<DossierView>('/api/dossiers', {
        procedureId: v.procedureId,
        caseId: v.caseId,
        channel: 1,
        ...(agencyId && { agencyId }),
        applicant: {
          kind: v.kind,
          name: v.name,
          ...(v.idNo && { idNo: v.idNo.trim() }),
          ...(v.birthDate && { birthDate: v.birthDate.format('YYYY-MM-DD') }),
          ...(v.address && { address: v.address }),
          ...(v.phone && { phone: v.phone }),
          ...(v.email && { email: v.email }),
        },
        ...(v.repName && {
          representative: {
            name: v.repName,
            ...(v.repIdNo && { idNo: v.repIdNo }),
            ...(v.repRelation && { relation: v.repRelation }),
          },
        }),
        ...(v.summary && { summary: v.summary }),
        sets: v.sets,
        components: rows
          .filter((r) => r.received)
          .map((r) => ({
            specId: r.spec.id,
            name: r.spec.name,
            originals: r.originals,
            certified: r.certified,
            copies: r.copies,
            ...(r.blob && { blob: r.blob }),
            ...(r.storeItemId && { storeItemId: r.storeItemId }),
          })),
        paidFees: Object.entries(paid).map(([ordinal, receipt]) => ({
          ordinal: Number(ordinal),
          ...(typeof receipt === 'string' && receipt && { receiptNo: receipt }),
        })),
        idempotencyKey,
      });
    },
    onSuccess: async (d) => {
      void message.success(
        t('oneStop.reception.done', { code: d.code, due: d.dueAt ? formatDateTime(d.dueAt) : '—' }),
      );
      window.open(formUrl(d.id, 'receipt'), '_blank', 'noopener');
      await navigate({ to: '/mot-cua/ho-so/$id', params: { id: d.id } });
    },
    // The missing-papers check shows below the form; server errors as a message.
    onError: (e) => (e instanceof ApiError ? fail(e) : undefined),
  });

  const storeOptions = (store.data?.items ?? []).map((s) => ({
    value: s.id,
    label: `${s.name}${s.sourceDossierCode ? ` (${s.sourceDossierCode})` : ''}`,
  }));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('oneStop.reception.heading')}</Typography.Title>
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 1, sets: 1 }}
        onFinish={(v) => save.mutate(v)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.submit();
        }}
      >
        <Card size="small" title={t('oneStop.field.procedure')}>
          <Row gutter={12}>
            <Col xs={24} lg={16}>
              <Form.Item
                name="procedureId"
                label={t('oneStop.field.procedure')}
                rules={[{ required: true, message: t('error.required') }]}
              >
                <Select
                  autoFocus
                  showSearch
                  placeholder={t('oneStop.reception.pickProcedure')}
                  filterOption={foldFilter}
                  loading={procedures.isLoading}
                  options={(procedures.data?.items ?? []).map((p) => ({
                    value: p.id,
                    label: `${p.code} — ${p.name}`,
                  }))}
                  onChange={() => form.setFieldValue('caseId', undefined)}
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item
                name="caseId"
                label={t('oneStop.field.case')}
                rules={[{ required: true, message: t('error.required') }]}
              >
                <Select
                  options={(procedure.data?.cases ?? []).map((c) => ({ value: c.id, label: c.name }))}
                />
              </Form.Item>
            </Col>
          </Row>
          {channel && (
            <Typography.Text type="secondary">
              {t('oneStop.field.duration')}: {channel.durationValue}{' '}
              {t(`oneStop.unit.${channel.durationUnit}`)}
              {theCase?.interAgency ? ' · liên thông' : ''}
            </Typography.Text>
          )}
        </Card>

        <Card size="small" title={t('oneStop.field.applicant')} style={{ marginTop: 12 }}>
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item name="kind" label={t('oneStop.field.applicantKind')}>
                <Radio.Group
                  options={[
                    { value: 1, label: t('oneStop.field.person') },
                    { value: 2, label: t('oneStop.field.organisation') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item
                name="name"
                label={t('oneStop.field.name')}
                rules={[{ required: true, message: t('error.required') }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="idNo"
                label={t('oneStop.field.idNo')}
                dependencies={['kind']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: async (_, value?: string) => {
                      const r = ApplicantSchema.safeParse({
                        kind: getFieldValue('kind'),
                        name: 'x',
                        ...(value && { idNo: value }),
                      });
                      if (!r.success) throw new Error(r.error.issues[0]?.message);
                    },
                  }),
                ]}
              >
                <Input inputMode="numeric" maxLength={14} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="birthDate" label={t('oneStop.field.birthDate')}>
                <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="phone" label={t('oneStop.field.phone')}>
                <Input inputMode="tel" />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item name="address" label={t('oneStop.field.address')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="email" label={t('oneStop.field.email')} rules={[{ type: 'email' }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="repName" label={t('oneStop.field.representative')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="repIdNo" label={t('oneStop.field.idNo')}>
                <Input inputMode="numeric" maxLength={12} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="repRelation" label={t('oneStop.field.relation')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={18}>
              <Form.Item name="summary" label={t('oneStop.field.summary')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="sets" label={t('oneStop.field.sets')}>
                <InputNumber min={1} max={100} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card size="small" title={t('oneStop.field.components')} style={{ marginTop: 12 }}>
          {idNo && store.data && store.data.items.length === 0 && (
            <Typography.Text type="secondary">{t('oneStop.reception.storeEmpty')}</Typography.Text>
          )}
          <Table<CheckRow>
            size="small"
            pagination={false}
            rowKey={(r) => r.spec.id}
            dataSource={rows}
            columns={[
              {
                title: t('oneStop.field.received'),
                width: 70,
                render: (_, r, i) => (
                  <Checkbox
                    aria-label={`${t('oneStop.field.received')}: ${r.spec.name}`}
                    checked={r.received}
                    onChange={(e) => update(i, { received: e.target.checked })}
                  />
                ),
              },
              {
                title: t('oneStop.field.components'),
                render: (_, r) => (
                  <Space direction="vertical" size={0}>
                    <span>{r.spec.name}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.spec.alternativeGroup
                        ? t('oneStop.reception.alternative', { group: r.spec.alternativeGroup })
                        : r.spec.required
                          ? t('oneStop.reception.required')
                          : t('oneStop.reception.optional')}
                    </Typography.Text>
                  </Space>
                ),
              },
              ...(['originals', 'certified', 'copies'] as const).map((k) => ({
                title: t(`oneStop.field.${k}`),
                width: 90,
                render: (_: unknown, r: CheckRow, i: number) => (
                  <InputNumber
                    size="small"
                    min={0}
                    max={100}
                    value={r[k]}
                    onChange={(v) => update(i, { [k]: v ?? 0 })}
                  />
                ),
              })),
              {
                title: t('oneStop.field.scan'),
                width: 220,
                render: (_, r, i) => (
                  <Space direction="vertical" size={2}>
                    <Upload
                      showUploadList={false}
                      accept="application/pdf,image/jpeg,image/png"
                      beforeUpload={async (file) => {
                        try {
                          const up = await uploadFile(file);
                          update(i, { blob: up.sha256, fileName: up.name, received: true });
                        } catch (e) {
                          fail(e);
                        }
                        return false;
                      }}
                    >
                      <Button size="small" icon={<UploadOutlined />}>
                        {r.fileName ?? t('oneStop.reception.upload')}
                      </Button>
                    </Upload>
                    {storeOptions.length > 0 && (
                      <Select
                        size="small"
                        allowClear
                        style={{ width: 200 }}
                        placeholder={t('oneStop.reception.reuse')}
                        options={storeOptions}
                        value={r.storeItemId}
                        onChange={(v?: string) =>
                          update(i, v ? { storeItemId: v, received: true } : { storeItemId: undefined })
                        }
                      />
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Card>

        {channel && channel.fees.length > 0 && (
          <Card size="small" title={t('oneStop.field.fees')} style={{ marginTop: 12 }}>
            {channel.fees.map((f, i) => (
              <Space key={`fee-${f.code ?? f.name}-${f.amount}`} style={{ display: 'flex', marginBottom: 6 }}>
                <Checkbox
                  checked={paid[i] !== undefined}
                  onChange={(e) =>
                    setPaid((p) => {
                      const n = { ...p };
                      if (e.target.checked) n[i] = true;
                      else delete n[i];
                      return n;
                    })
                  }
                >
                  {f.name}: {money(f.amount)}
                </Checkbox>
                <Tag color={dueNow.includes(i) ? (paid[i] === undefined ? 'red' : 'green') : 'default'}>
                  {t(`oneStop.feeWhen.${f.when}`)}
                </Tag>
                {paid[i] !== undefined && (
                  <Input
                    size="small"
                    placeholder={t('oneStop.field.receiptNo')}
                    onChange={(e) => setPaid((p) => ({ ...p, [i]: e.target.value }))}
                  />
                )}
              </Space>
            ))}
          </Card>
        )}

        {save.error && !(save.error instanceof ApiError) && (
          <Alert type="error" showIcon style={{ marginTop: 12 }} message={save.error.message} />
        )}
        <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 12 }}>
          {t('oneStop.reception.submit')}
        </Button>
      </Form>
    </Space>
  );
}
