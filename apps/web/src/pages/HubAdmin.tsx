import {
  type HubAdminAgency,
  type HubAdminMessage,
  type HubAdminSystem,
  HubAgencyCreate,
  HubCode,
  type HubDeadLetter,
  type HubPurgeResult,
  type HubQueues,
  type HubRequeue,
  HubSystemCreate,
  type HubSystemSecret,
} from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../api.ts';
import { FormModal, useFail } from '../components/FormModal.tsx';
import { foldFilter, formatDateTime } from '../util.ts';
import { zodRule } from './rules.ts';

const A = '/api/hub-admin';

/** Trục liên thông: the hub operator's screen (agencies, systems, queues, dead letters, messages). */
export default function HubAdmin() {
  const { t } = useTranslation();
  const agencies = useQuery({
    queryKey: ['hub-admin', 'agencies', ''],
    queryFn: () => api.get<{ items: HubAdminAgency[] }>(`${A}/agencies`),
    retry: false,
  });
  if (agencies.error instanceof ApiError && agencies.error.status === 404)
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Title level={3}>{t('hubAdmin.heading')}</Typography.Title>
        <Alert type="info" showIcon message={t('hubAdmin.notMounted')} />
      </Space>
    );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('hubAdmin.heading')}</Typography.Title>
      <Tabs
        items={[
          { key: 'agencies', label: t('hubAdmin.tabs.agencies'), children: <Agencies /> },
          { key: 'systems', label: t('hubAdmin.tabs.systems'), children: <Systems /> },
          { key: 'queues', label: t('hubAdmin.tabs.queues'), children: <Queues /> },
          { key: 'dead', label: t('hubAdmin.tabs.deadLetters'), children: <DeadLetters /> },
          { key: 'messages', label: t('hubAdmin.tabs.messages'), children: <Messages /> },
        ]}
      />
    </Space>
  );
}

function useAllAgencies() {
  return useQuery({
    queryKey: ['hub-admin', 'agencies', ''],
    queryFn: () => api.get<{ items: HubAdminAgency[] }>(`${A}/agencies`),
  });
}

function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={active ? 'green' : 'default'}>{active ? t('hubAdmin.active') : t('hubAdmin.inactive')}</Tag>
  );
}

function Agencies() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fail = useFail();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [active, setActive] = useState<'true' | 'false' | undefined>(undefined);
  const [editing, setEditing] = useState<HubAdminAgency | 'new' | null>(null);
  const [form] = Form.useForm();
  const all = useAllAgencies();
  const list = useQuery({
    queryKey: ['hub-admin', 'agencies', q, active],
    queryFn: () => api.get<{ items: HubAdminAgency[] }>(`${A}/agencies${qs({ q, active })}`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['hub-admin'] });
  const save = useMutation({
    mutationFn: (v: Record<string, string | undefined>) =>
      editing === 'new'
        ? api.post<HubAdminAgency>(`${A}/agencies`, v)
        : api.patch<HubAdminAgency>(`${A}/agencies/${(editing as HubAdminAgency).code}`, {
            name: v.name,
            legacyCode: v.legacyCode ?? '',
            parentCode: v.parentCode ?? '',
            email: v.email ?? '',
            phone: v.phone ?? '',
          }),
    onSuccess: async () => {
      setEditing(null);
      void message.success(t('hubAdmin.saved'));
      await refresh();
    },
    onError: fail,
  });
  const toggle = useMutation({
    mutationFn: (a: HubAdminAgency) => api.post(`${A}/agencies/${a.code}/${a.active ? 'disable' : 'enable'}`),
    onSuccess: refresh,
    onError: fail,
  });
  const open = (a: HubAdminAgency | 'new') => {
    setEditing(a);
    form.setFieldsValue(
      a === 'new'
        ? { code: '', legacyCode: '', name: '', parentCode: undefined, email: '', phone: '' }
        : { ...a, parentCode: a.parentCode ?? undefined },
    );
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          style={{ width: 320 }}
          placeholder={t('hubAdmin.agency.searchPlaceholder')}
          aria-label={t('common.search')}
          onSearch={setQ}
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('hubAdmin.state')}
          value={active}
          onChange={setActive}
          options={[
            { value: 'true', label: t('hubAdmin.active') },
            { value: 'false', label: t('hubAdmin.inactive') },
          ]}
        />
        <Button type="primary" onClick={() => open('new')}>
          {t('hubAdmin.agency.add')}
        </Button>
      </Space>
      <Table<HubAdminAgency>
        rowKey="code"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('hubAdmin.agency.code'), dataIndex: 'code' },
          { title: t('hubAdmin.agency.legacyCode'), dataIndex: 'legacyCode', render: (v) => v ?? '—' },
          { title: t('hubAdmin.agency.name'), dataIndex: 'name' },
          { title: t('hubAdmin.agency.parent'), dataIndex: 'parentCode', render: (v) => v ?? '—' },
          {
            title: t('hubAdmin.agency.contact'),
            key: 'contact',
            render: (_, a) => [a.email, a.phone].filter(Boolean).join(' · ') || '—',
          },
          {
            title: t('hubAdmin.state'),
            dataIndex: 'active',
            render: (v: boolean) => <ActiveTag active={v} />,
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, a) => (
              <Space>
                <Button size="small" onClick={() => open(a)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={a.active ? t('hubAdmin.agency.disableConfirm') : t('hubAdmin.agency.enableConfirm')}
                  onConfirm={() => toggle.mutate(a)}
                >
                  <Button size="small" danger={a.active}>
                    {a.active ? t('hubAdmin.disable') : t('hubAdmin.enable')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FormModal
        form={form}
        open={editing !== null}
        saving={save.isPending}
        title={editing === 'new' ? t('hubAdmin.agency.add') : t('hubAdmin.agency.edit')}
        onClose={() => setEditing(null)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            label={t('hubAdmin.agency.code')}
            name="code"
            rules={[{ required: true }, zodRule(HubCode)]}
            extra={t('hubAdmin.agency.codeHelp')}
          >
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item label={t('hubAdmin.agency.legacyCode')} name="legacyCode" rules={[zodRule(HubCode)]}>
            <Input placeholder="000.00.00.H49" />
          </Form.Item>
          <Form.Item
            label={t('hubAdmin.agency.name')}
            name="name"
            rules={[{ required: true }, zodRule(HubAgencyCreate.shape.name)]}
          >
            <Input />
          </Form.Item>
          <Form.Item label={t('hubAdmin.agency.parent')} name="parentCode">
            <Select
              allowClear
              showSearch
              filterOption={foldFilter}
              options={(all.data?.items ?? [])
                .filter((a) => editing === 'new' || a.code !== (editing as HubAdminAgency | null)?.code)
                .map((a) => ({ value: a.code, label: `${a.code} — ${a.name}` }))}
            />
          </Form.Item>
          <Form.Item
            label={t('hubAdmin.agency.email')}
            name="email"
            rules={[zodRule(HubAgencyCreate.shape.email)]}
          >
            <Input />
          </Form.Item>
          <Form.Item label={t('hubAdmin.agency.phone')} name="phone">
            <Input />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}

function SecretAlert({ secret, onClose }: { secret: HubSystemSecret | null; onClose: () => void }) {
  const { t } = useTranslation();
  if (!secret) return null;
  return (
    <Alert
      type="warning"
      showIcon
      closable
      onClose={onClose}
      message={t('hubAdmin.system.secretOnce', { name: secret.name })}
      description={
        <Space direction="vertical">
          <Typography.Text code copyable>{`HUB_SYSTEM_ID=${secret.id}`}</Typography.Text>
          <Typography.Text code copyable data-testid="hub-system-secret">
            {`HUB_SYSTEM_SECRET=${secret.secret}`}
          </Typography.Text>
        </Space>
      }
    />
  );
}

function Systems() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fail = useFail();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<HubSystemSecret | null>(null);
  const [form] = Form.useForm();
  const agencies = useAllAgencies();
  const list = useQuery({
    queryKey: ['hub-admin', 'systems'],
    queryFn: () => api.get<{ items: HubAdminSystem[] }>(`${A}/systems`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['hub-admin'] });
  const create = useMutation({
    mutationFn: (v: { name: string; agencies: string[]; callbackUrl?: string }) =>
      api.post<HubSystemSecret>(`${A}/systems`, v),
    onSuccess: async (r) => {
      setOpen(false);
      setSecret(r);
      await refresh();
    },
    onError: fail,
  });
  const rotate = useMutation({
    mutationFn: (id: string) => api.post<HubSystemSecret>(`${A}/systems/${id}/rotate-secret`),
    onSuccess: setSecret,
    onError: fail,
  });
  const toggle = useMutation({
    mutationFn: (s: HubAdminSystem) => api.post(`${A}/systems/${s.id}/${s.active ? 'disable' : 'enable'}`),
    onSuccess: refresh,
    onError: fail,
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        style={{ width: 'fit-content' }}
        onClick={() => {
          form.resetFields();
          setOpen(true);
        }}
      >
        {t('hubAdmin.system.add')}
      </Button>
      <SecretAlert secret={secret} onClose={() => setSecret(null)} />
      <Table<HubAdminSystem>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={false}
        columns={[
          { title: t('hubAdmin.system.name'), dataIndex: 'name' },
          {
            title: t('hubAdmin.system.id'),
            dataIndex: 'id',
            render: (v) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: t('hubAdmin.system.agencies'),
            dataIndex: 'agencies',
            render: (v: string[]) => v.join(', '),
          },
          { title: t('hubAdmin.system.callbackUrl'), dataIndex: 'callbackUrl', render: (v) => v ?? '—' },
          {
            title: t('hubAdmin.state'),
            dataIndex: 'active',
            render: (v: boolean) => <ActiveTag active={v} />,
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, s) => (
              <Space>
                <Popconfirm title={t('hubAdmin.system.rotateConfirm')} onConfirm={() => rotate.mutate(s.id)}>
                  <Button size="small">{t('hubAdmin.system.rotate')}</Button>
                </Popconfirm>
                <Popconfirm
                  title={s.active ? t('hubAdmin.system.disableConfirm') : t('hubAdmin.system.enableConfirm')}
                  onConfirm={() => toggle.mutate(s)}
                >
                  <Button size="small" danger={s.active}>
                    {s.active ? t('hubAdmin.disable') : t('hubAdmin.enable')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FormModal
        form={form}
        open={open}
        saving={create.isPending}
        title={t('hubAdmin.system.add')}
        onClose={() => setOpen(false)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item
            label={t('hubAdmin.system.name')}
            name="name"
            rules={[{ required: true }, zodRule(HubSystemCreate.shape.name)]}
          >
            <Input />
          </Form.Item>
          <Form.Item label={t('hubAdmin.system.agencies')} name="agencies" rules={[{ required: true }]}>
            <Select
              mode="multiple"
              showSearch
              filterOption={foldFilter}
              options={(agencies.data?.items ?? [])
                .filter((a) => a.active)
                .map((a) => ({ value: a.code, label: `${a.code} — ${a.name}` }))}
            />
          </Form.Item>
          <Form.Item
            label={t('hubAdmin.system.callbackUrl')}
            name="callbackUrl"
            rules={[zodRule(HubSystemCreate.shape.callbackUrl)]}
            extra={t('hubAdmin.system.callbackHelp')}
          >
            <Input placeholder="https://" />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}

/** "3 ngày 4 giờ" between two instants. */
function age(from: string | null, now: string, t: TFunction) {
  if (!from) return '—';
  const mins = Math.max(0, Math.floor((Date.parse(now) - Date.parse(from)) / 60_000));
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  if (d) return t('hubAdmin.queue.ageDays', { d, h });
  if (h) return t('hubAdmin.queue.ageHours', { h, m });
  return t('hubAdmin.queue.ageMinutes', { m });
}

function Queues() {
  const { t } = useTranslation();
  const queues = useQuery({
    queryKey: ['hub-admin', 'queues'],
    queryFn: () => api.get<HubQueues>(`${A}/queues`),
    refetchInterval: 15_000,
  });
  const now = queues.data?.now ?? new Date().toISOString();
  const counts = [
    { title: t('hubAdmin.queue.edoc'), dataIndex: 'edoc' },
    { title: t('hubAdmin.queue.status'), dataIndex: 'status' },
    {
      title: t('hubAdmin.queue.oldest'),
      dataIndex: 'oldestAt',
      render: (v: string | null) => (v ? `${age(v, now, t)} (${formatDateTime(v)})` : '—'),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('hubAdmin.queue.byAgency')}>
        <Table
          rowKey="code"
          size="small"
          loading={queues.isLoading}
          dataSource={queues.data?.agencies}
          pagination={false}
          locale={{ emptyText: t('hubAdmin.queue.empty') }}
          columns={[
            { title: t('hubAdmin.agency.code'), dataIndex: 'code' },
            { title: t('hubAdmin.agency.name'), dataIndex: 'name' },
            ...counts,
          ]}
        />
      </Card>
      <Card size="small" title={t('hubAdmin.queue.bySystem')}>
        <Table
          rowKey="id"
          size="small"
          loading={queues.isLoading}
          dataSource={queues.data?.systems}
          pagination={false}
          columns={[{ title: t('hubAdmin.system.name'), dataIndex: 'name' }, ...counts]}
        />
      </Card>
    </Space>
  );
}

function DeadLetters() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fail = useFail();
  const { message } = App.useApp();
  const letters = useQuery({
    queryKey: ['hub-admin', 'dead-letters'],
    queryFn: () => api.get<{ items: HubDeadLetter[] }>(`${A}/dead-letters`),
  });
  const requeue = useMutation({
    mutationFn: (r: HubRequeue) => api.post(`${A}/dead-letters/requeue`, r),
    onSuccess: async () => {
      void message.success(t('hubAdmin.dead.requeued'));
      await qc.invalidateQueries({ queryKey: ['hub-admin'] });
    },
    onError: fail,
  });
  return (
    <Table<HubDeadLetter>
      rowKey={(l) => `${l.type}:${l.messageId}:${l.type === 'delivery' ? l.to : l.systemId}`}
      size="small"
      loading={letters.isLoading}
      dataSource={letters.data?.items}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      locale={{ emptyText: t('hubAdmin.dead.empty') }}
      columns={[
        { title: t('hubAdmin.dead.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
        {
          title: t('hubAdmin.dead.type'),
          dataIndex: 'type',
          render: (v: HubDeadLetter['type']) => (
            <Tag color={v === 'delivery' ? 'red' : 'orange'}>{t(`hubAdmin.dead.types.${v}`)}</Tag>
          ),
        },
        {
          title: t('hubAdmin.message.id'),
          dataIndex: 'messageId',
          render: (v) => <Typography.Text code>{v}</Typography.Text>,
        },
        { title: t('hubAdmin.message.from'), dataIndex: 'from' },
        {
          title: t('hubAdmin.dead.target'),
          key: 'target',
          render: (_, l) =>
            l.type === 'delivery'
              ? l.to
              : `${l.systemName} (${t('hubAdmin.dead.attempts', { n: l.attempts })})`,
        },
        { title: t('hubAdmin.message.documentId'), dataIndex: 'documentId' },
        { title: t('hubAdmin.dead.reason'), dataIndex: 'reason', render: (v) => v ?? '—' },
        {
          title: t('common.actions'),
          key: 'a',
          render: (_, l) => (
            <Popconfirm
              title={t(`hubAdmin.dead.confirm.${l.type}`)}
              onConfirm={() =>
                requeue.mutate(
                  l.type === 'delivery'
                    ? { type: 'delivery', messageId: l.messageId, to: l.to }
                    : { type: 'push', messageId: l.messageId, systemId: l.systemId },
                )
              }
            >
              <Button size="small">{t('hubAdmin.dead.requeue')}</Button>
            </Popconfirm>
          ),
        },
      ]}
    />
  );
}

type MessageFilter = { id?: string; from?: string; to?: string; kind?: string; state?: string };

function Messages() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fail = useFail();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<MessageFilter>({});
  const [days, setDays] = useState<number | null>(30);
  const [form] = Form.useForm<MessageFilter>();
  const messages = useQuery({
    queryKey: ['hub-admin', 'messages', filter],
    queryFn: () => api.get<{ items: HubAdminMessage[] }>(`${A}/messages${qs({ ...filter, limit: 100 })}`),
  });
  const purge = useMutation({
    mutationFn: (d: number) => api.post<HubPurgeResult>(`${A}/purge`, { days: d }),
    onSuccess: async (r) => {
      void message.success(t('hubAdmin.purge.done', r));
      await qc.invalidateQueries({ queryKey: ['hub-admin'] });
    },
    onError: fail,
  });
  const stateColor = { pending: 'blue', done: 'green', fail: 'red' } as const;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form
        form={form}
        layout="inline"
        onFinish={(v) =>
          setFilter(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')))
        }
      >
        <Form.Item name="id" rules={[{ pattern: /^[0-9a-f-]{36}$/i, message: t('hubAdmin.message.badId') }]}>
          <Input placeholder={t('hubAdmin.message.id')} style={{ width: 300 }} allowClear />
        </Form.Item>
        <Form.Item name="from" rules={[zodRule(HubCode)]}>
          <Input placeholder={t('hubAdmin.message.from')} style={{ width: 140 }} allowClear />
        </Form.Item>
        <Form.Item name="to" rules={[zodRule(HubCode)]}>
          <Input placeholder={t('hubAdmin.message.to')} style={{ width: 140 }} allowClear />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder={t('hubAdmin.message.kind')}
            style={{ width: 140 }}
            options={(['edoc', 'status'] as const).map((k) => ({
              value: k,
              label: t(`hubAdmin.message.kinds.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="state">
          <Select
            allowClear
            placeholder={t('hubAdmin.message.state')}
            style={{ width: 160 }}
            options={(['pending', 'done', 'fail'] as const).map((k) => ({
              value: k,
              label: t(`hubAdmin.message.states.${k}`),
            }))}
          />
        </Form.Item>
        <Button htmlType="submit" type="primary">
          {t('common.search')}
        </Button>
      </Form>
      <Table<HubAdminMessage>
        rowKey="id"
        size="small"
        loading={messages.isLoading}
        dataSource={messages.data?.items}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('hubAdmin.message.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatDateTime(v),
          },
          {
            title: t('hubAdmin.message.id'),
            dataIndex: 'id',
            render: (v) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: t('hubAdmin.message.kind'),
            key: 'kind',
            render: (_, m) =>
              m.kind === 'status'
                ? `${t('hubAdmin.message.kinds.status')} ${m.statusCode}`
                : t('hubAdmin.message.kinds.edoc'),
          },
          { title: t('hubAdmin.message.from'), dataIndex: 'from' },
          { title: t('hubAdmin.message.documentId'), dataIndex: 'documentId' },
          {
            title: t('hubAdmin.message.deliveries'),
            key: 'd',
            render: (_, m) => (
              <Space size={[4, 4]} wrap>
                {m.deliveries.map((d) => (
                  <Tag key={d.to} color={stateColor[d.state]} title={d.reason ?? undefined}>
                    {d.to}: {t(`hubAdmin.message.states.${d.state}`)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('hubAdmin.message.size'),
            dataIndex: 'size',
            render: (v: number) => `${Math.ceil(v / 1024)} KB`,
          },
        ]}
      />
      <Card size="small" title={t('hubAdmin.purge.title')}>
        <Space wrap>
          <Typography.Text>{t('hubAdmin.purge.explain')}</Typography.Text>
          <InputNumber
            min={0}
            max={36500}
            value={days}
            onChange={setDays}
            addonAfter={t('hubAdmin.purge.days')}
          />
          <Popconfirm
            title={t('hubAdmin.purge.confirm', { days })}
            onConfirm={() => days !== null && purge.mutate(days)}
          >
            <Button danger disabled={days === null} loading={purge.isPending}>
              {t('hubAdmin.purge.run')}
            </Button>
          </Popconfirm>
        </Space>
      </Card>
    </Space>
  );
}
