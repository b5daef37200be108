import { type ApiToken, PERMISSIONS } from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { FormModal, useFail } from '../components/FormModal.tsx';
import { formatDateTime } from '../util.ts';

export default function Tokens() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm();
  const list = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api.get<{ items: ApiToken[] }>('/api/admin/api-tokens'),
  });
  const fail = useFail();
  const create = useMutation({
    mutationFn: (v: { name: string; permissions: string[] }) =>
      api.post<{ token: ApiToken; secret: string }>('/api/admin/api-tokens', v),
    onSuccess: async (r) => {
      setOpen(false);
      setSecret(r.secret);
      await qc.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: fail,
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('tokens.heading')}</Typography.Title>
      <Button type="primary" style={{ width: 'fit-content' }} onClick={() => setOpen(true)}>
        {t('tokens.add')}
      </Button>
      {secret && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setSecret(null)}
          message={t('tokens.secretOnce')}
          description={
            <Typography.Text code copyable>
              {secret}
            </Typography.Text>
          }
        />
      )}
      <Table<ApiToken>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={false}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          {
            title: t('tokens.permissions'),
            dataIndex: 'permissions',
            render: (ps: string[]) => ps.map((p) => <Tag key={p}>{p}</Tag>),
          },
          {
            title: t('tokens.lastUsed'),
            dataIndex: 'lastUsedAt',
            render: (v) => (v ? formatDateTime(v) : t('common.none')),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, tk) =>
              tk.revokedAt ? (
                <Tag>{t('delegations.revoked')}</Tag>
              ) : (
                <Button
                  size="small"
                  danger
                  onClick={async () => {
                    try {
                      await api.post(`/api/admin/api-tokens/${tk.id}/revoke`);
                      await qc.invalidateQueries({ queryKey: ['tokens'] });
                    } catch (e) {
                      fail(e);
                    }
                  }}
                >
                  {t('common.revoke')}
                </Button>
              ),
          },
        ]}
      />
      <FormModal form={form} open={open} title={t('tokens.add')} onClose={() => setOpen(false)}>
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item label={t('tokens.name')} name="name" rules={[{ required: true, min: 3 }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('tokens.permissions')} name="permissions" rules={[{ required: true }]}>
            <Select mode="multiple" options={PERMISSIONS.map((p) => ({ value: p, label: p }))} />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}
