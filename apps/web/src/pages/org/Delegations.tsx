import { type Delegation, type OfficialSummary, ROLES } from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { FormModal, useFail } from '../../components/FormModal.tsx';
import { useCan, useMe } from '../../session.ts';
import { formatDateTime } from '../../util.ts';

function OfficialPicker(props: { value?: string; onChange?: (v: string) => void }) {
  const [q, setQ] = useState('');
  const list = useQuery({
    queryKey: ['officials', 'pick', q],
    queryFn: () => api.get<{ items: OfficialSummary[] }>(`/api/org/officials${qs({ q, pageSize: 20 })}`),
  });
  return (
    <Select
      showSearch
      value={props.value}
      onChange={props.onChange}
      filterOption={false}
      onSearch={setQ}
      options={(list.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.fullName} (${o.username})` }))}
    />
  );
}

export default function Delegations() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const list = useQuery({
    queryKey: ['delegations', 'list'],
    queryFn: () => api.get<{ items: Delegation[] }>('/api/org/delegations'),
  });
  const fail = useFail();
  const create = useMutation({
    mutationFn: (v: {
      fromOfficialId?: string;
      toOfficialId: string;
      roles: string[];
      period: [Dayjs, Dayjs];
      reason: string;
    }) =>
      api.post('/api/org/delegations', {
        fromOfficialId: v.fromOfficialId ?? me.id,
        toOfficialId: v.toOfficialId,
        roles: v.roles,
        startsAt: v.period[0].format(),
        endsAt: v.period[1].format(),
        reason: v.reason,
      }),
    onSuccess: async () => {
      setOpen(false);
      message.success(t('common.saved'));
      await qc.invalidateQueries({ queryKey: ['delegations'] });
    },
    onError: fail,
  });
  const revoke = async (d: Delegation) => {
    try {
      await api.post(`/api/org/delegations/${d.id}/revoke`);
      await qc.invalidateQueries({ queryKey: ['delegations'] });
    } catch (e) {
      fail(e);
    }
  };
  const manager = can('org.manage');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('delegations.heading')}</Typography.Title>
      <Button type="primary" style={{ width: 'fit-content' }} onClick={() => setOpen(true)}>
        {t('delegations.add')}
      </Button>
      <Table<Delegation>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        columns={[
          { title: t('delegations.from'), dataIndex: 'fromName' },
          { title: t('delegations.to'), dataIndex: 'toName' },
          {
            title: t('delegations.roles'),
            dataIndex: 'roles',
            render: (rs: string[]) => rs.map((r) => <Tag key={r}>{t(`roles.${r}`)}</Tag>),
          },
          {
            title: t('delegations.period'),
            key: 'period',
            render: (_, d) => `${formatDateTime(d.startsAt)} – ${formatDateTime(d.endsAt)}`,
          },
          { title: t('delegations.reason'), dataIndex: 'reason' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, d) =>
              d.revokedAt ? (
                <Tag>{t('delegations.revoked')}</Tag>
              ) : manager || d.fromOfficialId === me.id ? (
                <Button size="small" danger onClick={() => revoke(d)}>
                  {t('common.revoke')}
                </Button>
              ) : null,
          },
        ]}
      />
      <FormModal
        form={form}
        open={open}
        title={t('delegations.add')}
        saving={create.isPending}
        onClose={() => setOpen(false)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          {manager && (
            <Form.Item label={t('delegations.from')} name="fromOfficialId" rules={[{ required: true }]}>
              <OfficialPicker />
            </Form.Item>
          )}
          <Form.Item label={t('delegations.to')} name="toOfficialId" rules={[{ required: true }]}>
            <OfficialPicker />
          </Form.Item>
          <Form.Item label={t('delegations.roles')} name="roles" rules={[{ required: true }]}>
            <Select
              mode="multiple"
              options={(manager ? ROLES : me.roles.map((r) => r.role)).map((r) => ({
                value: r,
                label: t(`roles.${r}`),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('delegations.period')} name="period" rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime format="DD/MM/YYYY HH:mm" />
          </Form.Item>
          <Form.Item label={t('delegations.reason')} name="reason" rules={[{ required: true, min: 3 }]}>
            <Input />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}
