import { UploadOutlined } from '@ant-design/icons';
import type { DossierView as Dossier, OfficialSummary } from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { FormModal, useFail } from '../../components/FormModal.tsx';
import { useCan } from '../../session.ts';
import { formatDateTime } from '../../util.ts';
import { fileUrl, uploadFile } from '../documents/data.ts';
import { DossierForms } from './DossierForms.tsx';
import { money, STATE_COLOR, useDossier } from './data.ts';

type Action =
  | 'accept'
  | 'refuse'
  | 'assign'
  | 'complete'
  | 'supplement-request'
  | 'supplement-received'
  | 'financial-request'
  | 'financial-done'
  | 'withdraw'
  | 'stop'
  | 'apology'
  | 'done'
  | 'deliver';

const LABEL: Record<Action, string> = {
  accept: 'accept',
  refuse: 'refuse',
  assign: 'assign',
  complete: 'complete',
  'supplement-request': 'supplementRequest',
  'supplement-received': 'supplementReceived',
  'financial-request': 'financialRequest',
  'financial-done': 'financialDone',
  withdraw: 'withdraw',
  stop: 'stop',
  apology: 'apology',
  done: 'done',
  deliver: 'deliver',
};

/** What the dossier's state allows (the server decides; this only offers the buttons). */
function actionsFor(d: Dossier, can: (p: 'dossiers.receive' | 'dossiers.process') => boolean): Action[] {
  const receive = can('dossiers.receive');
  const process = can('dossiers.process');
  const a: Action[] = [];
  const open = d.steps.find((s) => s.id === d.currentStepId && !s.finishedAt);
  switch (d.state) {
    case 'submitted':
      if (receive) a.push('accept', 'refuse');
      break;
    case 'received':
    case 'processing':
      if (process && open) a.push('assign', 'complete');
      if (process && !d.supplementRequested) a.push('supplement-request');
      if (process) a.push('financial-request', 'apology', 'done', 'stop');
      if (receive) a.push('withdraw');
      break;
    case 'supplement':
      if (receive) a.push('supplement-received', 'withdraw');
      break;
    case 'financial':
      if (receive) a.push('financial-done', 'withdraw');
      break;
    case 'done':
      if (receive) a.push('deliver');
      break;
  }
  return a;
}

interface Values {
  reason?: string;
  items?: string;
  newDueAt?: Dayjs;
  officialId?: string;
  note?: string;
  amount?: number;
  receiptNo?: string;
  online?: boolean;
  method?: 'counter' | 'post' | 'online';
  resultName?: string;
  electronic?: boolean;
  signed?: boolean;
  resultFile?: { sha256: string; name: string };
  componentName?: string;
  /** Positions in d.fees of the fees collected with this act (accept, deliver). */
  paidFees?: number[];
}

/** Fees still owed: "thu trước" ones at reception, every one by delivery (the server enforces it). */
function owedFees(d: Dossier, action: Action | null) {
  const due = action === 'accept' ? ['before'] : action === 'deliver' ? ['before', 'after'] : [];
  return d.fees.flatMap((f, ordinal) =>
    due.includes(f.whenPaid) && f.amount > 0 && !f.paidAt ? [{ ordinal, fee: f }] : [],
  );
}

/** States in which the counter may attach the scan of a paper received on paper only. */
const DIGITISABLE = ['received', 'processing', 'supplement', 'financial', 'done', 'delivered'];

function body(action: Action, v: Values, d: Dossier): unknown {
  const paidFees = (v.paidFees ?? []).map((ordinal) => ({
    ordinal,
    ...(v.receiptNo && { receiptNo: v.receiptNo }),
  }));
  switch (action) {
    case 'accept':
      return { paidFees };
    case 'refuse':
    case 'withdraw':
    case 'stop':
      return { reason: v.reason };
    case 'assign':
      return { officialId: v.officialId };
    case 'complete':
      return { ...(v.note && { note: v.note }) };
    case 'supplement-request':
      return {
        reason: v.reason,
        items: (v.items ?? '')
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case 'supplement-received':
      return {
        components: (v.componentName ?? '')
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((name) => ({ name, originals: 1 })),
      };
    case 'financial-request':
      return { reason: v.reason, ...(v.amount !== undefined && { amount: v.amount }) };
    case 'financial-done':
      return { ...(v.receiptNo && { receiptNo: v.receiptNo }), online: !!v.online };
    case 'apology':
      return { reason: v.reason, newDueAt: v.newDueAt?.toISOString() };
    case 'done':
      return {
        results: [
          {
            name: v.resultName ?? d.procedureName,
            ...(v.resultFile && { blob: v.resultFile.sha256 }),
            electronic: !!v.electronic,
            signed: !!v.signed,
          },
        ],
      };
    case 'deliver':
      return { method: v.method, ...(v.note && { note: v.note }), paidFees };
  }
}

/** The dossier: status as the applicant sees it, steps with their timing, timeline, papers, actions. */
export default function DossierView() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const dossier = useDossier(id);
  const can = useCan();
  const qc = useQueryClient();
  const fail = useFail();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [action, setAction] = useState<Action | null>(null);
  const d = dossier.data;
  const currentStep = d?.steps.find((s) => s.id === d.currentStepId);
  const officials = useQuery({
    queryKey: ['officials-of', currentStep?.agencyId],
    queryFn: () =>
      api.get<{ items: OfficialSummary[] }>(
        `/api/org/officials${qs({ agencyId: currentStep?.agencyId, pageSize: 200 })}`,
      ),
    enabled: action === 'assign' && !!currentStep && can('org.read'),
  });

  const run = useMutation({
    mutationFn: (v: Values) => {
      if (!d || !action) throw new Error('no action');
      const path =
        action === 'assign' || action === 'complete'
          ? `/api/dossiers/${d.id}/steps/${d.currentStepId}/${action}`
          : `/api/dossiers/${d.id}/${action}`;
      return api.post<Dossier>(path, body(action, v, d));
    },
    onSuccess: (next) => {
      qc.setQueryData(['dossier', id], next);
      void qc.invalidateQueries({ queryKey: ['dossiers'] });
      void message.success(t('oneStop.action.saved'));
      setAction(null);
      form.resetFields();
    },
    onError: fail,
  });

  /** Uploads a scan and attaches it to a paper component or a paper result of the dossier. */
  const attachScan = async (kind: 'components' | 'results', paperId: string, name: string, file: File) => {
    try {
      const up = await uploadFile(file);
      const next = await api.post<Dossier>(`/api/dossiers/${id}/${kind}/${paperId}/scan`, {
        blob: up.sha256,
      });
      qc.setQueryData(['dossier', id], next);
      void message.success(t('oneStop.view.scanAttached', { name }));
    } catch (e) {
      fail(e);
    }
  };

  if (!d) return <Spin />;
  const actions = actionsFor(d, can);
  const owed = owedFees(d, action);
  const canDigitise = can('dossiers.receive') && DIGITISABLE.includes(d.state);
  const scanButton = (kind: 'components' | 'results', paperId: string, name: string) => (
    <Upload
      showUploadList={false}
      accept="application/pdf,image/jpeg,image/png"
      beforeUpload={(file) => {
        void attachScan(kind, paperId, name, file);
        return false;
      }}
    >
      <Button size="small" icon={<UploadOutlined />} aria-label={`${t('oneStop.view.attachScan')}: ${name}`}>
        {t('oneStop.view.attachScan')}
      </Button>
    </Upload>
  );
  const needsReason =
    action &&
    ['refuse', 'withdraw', 'stop', 'supplement-request', 'financial-request', 'apology'].includes(action);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space align="baseline" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {d.code}
        </Typography.Title>
        <Tag color={STATE_COLOR[d.state]}>{t(`oneStop.state.${d.state}`)}</Tag>
        {d.overdue && <Tag color="red">{t('oneStop.view.overdue')}</Tag>}
      </Space>
      <Typography.Text>
        {d.procedureCode} — {d.procedureName} · {d.caseName}
      </Typography.Text>
      <Space wrap>
        {actions.map((a) => (
          <Button
            key={a}
            type={a === 'complete' || a === 'accept' || a === 'deliver' ? 'primary' : 'default'}
            onClick={() => setAction(a)}
          >
            {t(`oneStop.action.${LABEL[a]}`)}
          </Button>
        ))}
      </Space>

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card size="small">
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('oneStop.view.publicStatus')}>
                {d.status.portalStatus}. {d.status.label}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.channel')}>
                {t(`oneStop.channel.${d.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.applicant')}>
                {d.applicant.name}
                {d.applicant.idNo ? ` · ${d.applicant.idNo}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.phone')}>
                {d.applicant.phone ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.agency')}>{d.agencyName}</Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.currentAgency')}>
                {d.currentAgencyName ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.receivedAt')}>
                {d.receivedAt ? formatDateTime(d.receivedAt) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.clockStartAt')}>
                {d.clockStartAt ? formatDateTime(d.clockStartAt) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.dueAt')}>
                <Typography.Text strong type={d.overdue ? 'danger' : undefined} data-testid="due-at">
                  {d.dueAt ? formatDateTime(d.dueAt) : '—'}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.originalDueAt')}>
                {d.originalDueAt ? formatDateTime(d.originalDueAt) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.field.duration')}>
                {d.durationValue ?? '—'} {d.durationUnit ? t(`oneStop.unit.${d.durationUnit}`) : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('oneStop.view.lookupSecret')}>
                <span data-testid="lookup-secret">{d.lookupSecret}</span>
              </Descriptions.Item>
              {d.closedReason && (
                <Descriptions.Item label={t('oneStop.field.reason')} span={2}>
                  {d.closedReason}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card size="small" title={t('oneStop.view.steps')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              pagination={false}
              rowKey="id"
              dataSource={d.steps}
              columns={[
                { title: '#', dataIndex: 'ordinal', width: 40 },
                { title: t('oneStop.field.step'), dataIndex: 'name' },
                { title: t('oneStop.field.agency'), dataIndex: 'agencyName' },
                {
                  title: t('oneStop.field.officer'),
                  render: (_, s) => s.officialName ?? t(`roles.${s.role}`, s.role),
                },
                {
                  title: t('oneStop.field.dueAt'),
                  render: (_, s) => (s.dueAt ? formatDateTime(s.dueAt) : '—'),
                },
                {
                  title: t('oneStop.field.finishedAt'),
                  render: (_, s) => (s.finishedAt ? formatDateTime(s.finishedAt) : '—'),
                },
                {
                  title: t('oneStop.field.status'),
                  render: (_, s) => (
                    <Tag
                      color={
                        s.timing === 'late' || s.timing === 'overdue'
                          ? 'red'
                          : s.timing === 'pending'
                            ? 'default'
                            : 'green'
                      }
                    >
                      {t(`oneStop.timing.${s.timing}`)}
                    </Tag>
                  ),
                },
              ]}
            />
            {d.agencyTimes.length > 1 && (
              <Table
                style={{ marginTop: 8 }}
                size="small"
                pagination={false}
                rowKey="agencyId"
                title={() => t('oneStop.view.agencyTimes')}
                dataSource={d.agencyTimes}
                columns={[
                  { title: t('oneStop.field.agency'), dataIndex: 'agencyName' },
                  { title: t('oneStop.view.allowed'), dataIndex: 'allowedHours' },
                  { title: t('oneStop.view.used'), render: (_, a) => a.usedHours.toFixed(1) },
                  {
                    title: t('oneStop.field.status'),
                    render: (_, a) =>
                      a.onTime ? (
                        <Tag color="green">{t('oneStop.view.onTime')}</Tag>
                      ) : (
                        <Tag color="red">{t('oneStop.view.overdue')}</Tag>
                      ),
                  },
                ]}
              />
            )}
          </Card>
          <Card size="small" title={t('oneStop.field.components')} style={{ marginTop: 12 }}>
            <Table
              size="small"
              pagination={false}
              rowKey="id"
              dataSource={d.components}
              columns={[
                { title: t('oneStop.field.components'), dataIndex: 'name' },
                { title: t('oneStop.field.originals'), dataIndex: 'originals', width: 80 },
                { title: t('oneStop.field.certified'), dataIndex: 'certified', width: 80 },
                { title: t('oneStop.field.copies'), dataIndex: 'copies', width: 80 },
                { title: t('oneStop.field.status'), render: (_, c) => t(`oneStop.digitised.${c.digitised}`) },
                {
                  title: t('oneStop.field.scan'),
                  render: (_, c) =>
                    c.blob ? (
                      <a href={fileUrl(c.blob)} target="_blank" rel="noreferrer">
                        PDF
                      </a>
                    ) : canDigitise && c.digitised === 0 ? (
                      scanButton('components', c.id, c.name)
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
            {d.fees.length > 0 && (
              <Descriptions size="small" column={1} style={{ marginTop: 8 }} title={t('oneStop.field.fees')}>
                {d.fees.map((f) => (
                  <Descriptions.Item key={f.id} label={f.name}>
                    {money(f.amount)} · {t(`oneStop.feeWhen.${f.whenPaid}`)} ·{' '}
                    {f.paidAt ? `${t('oneStop.field.paid')} ${formatDateTime(f.paidAt)}` : '—'}
                    {f.paidOnline ? ` (${t('oneStop.field.paidOnline')})` : ''}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
            {d.results.length > 0 && (
              <Descriptions
                size="small"
                column={1}
                style={{ marginTop: 8 }}
                title={t('oneStop.field.results')}
              >
                {d.results.map((r) => (
                  <Descriptions.Item key={r.id} label={r.name}>
                    <Space size={6} wrap>
                      {r.electronic ? t('oneStop.field.electronic') : '—'}
                      {r.signed ? ` · ${t('oneStop.field.signed')}` : ''}
                      {r.blob ? (
                        <a href={fileUrl(r.blob)} target="_blank" rel="noreferrer">
                          PDF
                        </a>
                      ) : (
                        can('dossiers.receive') &&
                        (d.state === 'done' || d.state === 'delivered') &&
                        scanButton('results', r.id, r.name)
                      )}
                    </Space>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <DossierForms d={d} />
          <Card size="small" title={t('oneStop.view.timeline')} style={{ marginTop: 12 }}>
            <Timeline
              items={d.events.map((e) => ({
                key: e.id,
                children: (
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>
                      {formatDateTime(e.at)} · {t(`oneStop.state.${e.state}`)}
                    </Typography.Text>
                    {e.actorName && <Typography.Text type="secondary">{e.actorName}</Typography.Text>}
                    {e.note && <Typography.Text>{e.note}</Typography.Text>}
                  </Space>
                ),
              }))}
            />
          </Card>
          {d.pauses.length > 0 && (
            <Card size="small" title={t('oneStop.view.pauses')} style={{ marginTop: 12 }}>
              {d.pauses.map((p) => (
                <div key={p.id}>
                  {formatDateTime(p.requestedAt)} → {p.resumedAt ? formatDateTime(p.resumedAt) : '…'}:{' '}
                  {p.reason}
                  {p.dueAfter && ` (${t('oneStop.field.dueAt')}: ${formatDateTime(p.dueAfter)})`}
                </div>
              ))}
            </Card>
          )}
          {d.apologies.length > 0 && (
            <Card size="small" title={t('oneStop.view.apologies')} style={{ marginTop: 12 }}>
              {d.apologies.map((a) => (
                <div key={a.id}>
                  {a.agencyName}: {formatDateTime(a.oldDueAt)} → {formatDateTime(a.newDueAt)} — {a.reason}
                </div>
              ))}
            </Card>
          )}
          {d.handovers.length > 0 && (
            <Card size="small" title={t('oneStop.view.handovers')} style={{ marginTop: 12 }}>
              {d.handovers.map((h) => (
                <div key={h.id}>
                  {formatDateTime(h.sentAt)}: {h.fromAgencyName} → {h.toAgencyName}
                  {h.receivedAt ? ` (${formatDateTime(h.receivedAt)})` : ''}
                </div>
              ))}
            </Card>
          )}
        </Col>
      </Row>

      <FormModal
        form={form}
        open={!!action}
        onClose={() => setAction(null)}
        saving={run.isPending}
        title={action ? t(`oneStop.action.${LABEL[action]}`) : ''}
      >
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={(v) => run.mutate(v)}
          initialValues={{ method: 'counter' }}
        >
          {needsReason && (
            <Form.Item
              name="reason"
              label={t('oneStop.field.reason')}
              rules={[{ required: true, message: t('error.required') }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
          {action === 'supplement-request' && (
            <Form.Item
              name="items"
              label={t('oneStop.field.items')}
              rules={[{ required: true, message: t('error.required') }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
          {action === 'supplement-received' && (
            <Form.Item
              name="componentName"
              label={t('oneStop.field.components')}
              rules={[{ required: true, message: t('error.required') }]}
              initialValue={(d.pauses.find((p) => !p.resumedAt)?.items as string[] | undefined)?.join('\n')}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
          {action === 'apology' && (
            <Form.Item
              name="newDueAt"
              label={t('oneStop.field.newDueAt')}
              rules={[{ required: true, message: t('error.required') }]}
            >
              <DatePicker showTime format="DD/MM/YYYY HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          )}
          {action === 'assign' && (
            <Form.Item
              name="officialId"
              label={t('oneStop.field.officer')}
              rules={[{ required: true, message: t('error.required') }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                options={(officials.data?.items ?? []).map((o) => ({ value: o.id, label: o.fullName }))}
              />
            </Form.Item>
          )}
          {action === 'financial-request' && (
            <Form.Item name="amount" label={t('oneStop.field.amount')}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
          )}
          {action === 'financial-done' && (
            <>
              <Form.Item name="receiptNo" label={t('oneStop.field.receiptNo')}>
                <Input />
              </Form.Item>
              <Form.Item name="online" valuePropName="checked">
                <Checkbox>{t('oneStop.field.paidOnline')}</Checkbox>
              </Form.Item>
            </>
          )}
          {action === 'done' && (
            <>
              <Form.Item
                name="resultName"
                label={t('oneStop.field.resultName')}
                initialValue={d.procedureName}
              >
                <Input />
              </Form.Item>
              <Form.Item name="resultFile" label={t('oneStop.field.resultFile')}>
                <ResultFileInput />
              </Form.Item>
              <Form.Item name="electronic" valuePropName="checked">
                <Checkbox>{t('oneStop.field.electronic')}</Checkbox>
              </Form.Item>
              <Form.Item name="signed" valuePropName="checked" extra={t('oneStop.field.signedHint')}>
                <Checkbox>{t('oneStop.field.signed')}</Checkbox>
              </Form.Item>
            </>
          )}
          {action === 'deliver' && (
            <Form.Item name="method" label={t('oneStop.field.method')}>
              <Select
                options={(['counter', 'post', 'online'] as const).map((m) => ({
                  value: m,
                  label: t(`oneStop.delivery.${m}`),
                }))}
              />
            </Form.Item>
          )}
          {(action === 'complete' || action === 'deliver') && (
            <Form.Item name="note" label={t('oneStop.field.note')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
          {(action === 'accept' || action === 'withdraw') && <Typography.Text>{d.code}</Typography.Text>}
          {owed.length > 0 && (
            <>
              <Form.Item
                name="paidFees"
                label={t('oneStop.view.feesOwed')}
                rules={[
                  {
                    validator: async (_, v?: number[]) => {
                      const missing = owed.filter((o) => !(v ?? []).includes(o.ordinal));
                      if (missing.length)
                        throw new Error(
                          t('oneStop.view.feesUnpaid', {
                            names: missing.map((o) => `${o.fee.name} (${money(o.fee.amount)})`).join('; '),
                          }),
                        );
                    },
                  },
                ]}
              >
                <Checkbox.Group
                  style={{ display: 'flex', flexDirection: 'column' }}
                  options={owed.map((o) => ({
                    value: o.ordinal,
                    label: `${o.fee.name}: ${money(o.fee.amount)} (${t(`oneStop.feeWhen.${o.fee.whenPaid}`)})`,
                  }))}
                />
              </Form.Item>
              <Form.Item name="receiptNo" label={t('oneStop.field.receiptNo')}>
                <Input />
              </Form.Item>
            </>
          )}
        </Form>
      </FormModal>
    </Space>
  );
}

/** The result's file (a PDF, signed or not), uploaded as soon as it is chosen; the value is its sha256 and name. */
function ResultFileInput(props: {
  value?: { sha256: string; name: string };
  onChange?: (v: { sha256: string; name: string } | undefined) => void;
}) {
  const { t } = useTranslation();
  const fail = useFail();
  return (
    <Upload
      showUploadList={false}
      accept="application/pdf"
      beforeUpload={async (file) => {
        try {
          const up = await uploadFile(file);
          props.onChange?.({ sha256: up.sha256, name: up.name });
        } catch (e) {
          fail(e);
        }
        return false;
      }}
    >
      <Button icon={<UploadOutlined />} data-testid="result-file">
        {props.value?.name ?? t('oneStop.reception.upload')}
      </Button>
    </Upload>
  );
}
