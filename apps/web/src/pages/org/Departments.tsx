import { CreateDepartment, type Department } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { App, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { FormModal, useFail } from '../../components/FormModal.tsx';
import { useCan } from '../../session.ts';
import { foldFilter, formatDate } from '../../util.ts';
import { zodRule } from '../rules.ts';
import { useAgencies, useDepartments } from './data.ts';

export default function Departments() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const fail = useFail();
  const search = useSearch({ strict: false }) as { agencyId?: string };
  const navigate = useNavigate();
  const agencyId = search.agencyId;
  const agencies = useAgencies();
  const departments = useDepartments(agencyId);
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [form] = Form.useForm();

  const save = useMutation({
    mutationFn: (v: { name: string; code?: string }) =>
      editing === 'new'
        ? api.post('/api/org/departments', { agencyId, name: v.name, ...(v.code ? { code: v.code } : {}) })
        : api.patch(`/api/org/departments/${(editing as Department).id}`, {
            name: v.name,
            code: v.code || null,
          }),
    onSuccess: async () => {
      message.success(t('common.saved'));
      setEditing(null);
      await qc.invalidateQueries({ queryKey: ['departments'] });
    },
    onError: fail,
  });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('departments.heading')}</Typography.Title>
      <Form layout="inline">
        <Form.Item label={t('departments.agency')} name="agencyId" initialValue={agencyId}>
          <Select
            style={{ width: 420 }}
            showSearch
            allowClear
            placeholder={t('departments.pickAgency')}
            filterOption={foldFilter}
            loading={agencies.isLoading}
            options={(agencies.data ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))}
            onChange={(v?: string) => navigate({ to: '/to-chuc/phong-ban', search: { agencyId: v } })}
          />
        </Form.Item>
        {can('org.manage') && (
          <Button
            type="primary"
            disabled={!agencyId}
            onClick={() => {
              form.resetFields();
              setEditing('new');
            }}
          >
            {t('departments.add')}
          </Button>
        )}
      </Form>
      <Table<Department>
        rowKey="id"
        loading={departments.isLoading}
        dataSource={agencyId ? departments.data : []}
        pagination={false}
        columns={[
          { title: t('departments.name'), dataIndex: 'name' },
          { title: t('departments.code'), dataIndex: 'code', render: (v) => v ?? t('common.none') },
          { title: t('agencies.validFrom'), dataIndex: 'validFrom', render: formatDate },
          ...(can('org.manage')
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, d: Department) => (
                    <Button
                      size="small"
                      onClick={() => {
                        form.setFieldsValue({ name: d.name, code: d.code ?? '' });
                        setEditing(d);
                      }}
                    >
                      {t('common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <FormModal
        form={form}
        open={editing !== null}
        title={editing === 'new' ? t('departments.add') : t('common.edit')}
        saving={save.isPending}
        onClose={() => setEditing(null)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} preserve={false}>
          <Form.Item
            label={t('departments.name')}
            name="name"
            rules={[{ required: true, message: t('error.required') }, zodRule(CreateDepartment.shape.name)]}
          >
            <Input />
          </Form.Item>
          <Form.Item label={t('departments.code')} name="code">
            <Input />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}
