import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  NewPassword,
  type Official,
  type OfficialSummary,
  Phone,
  ROLES,
  type Role,
  Username,
} from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { App, Button, Checkbox, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { useCan } from '../../session.ts';
import { foldFilter } from '../../util.ts';
import { zodRule } from '../rules.ts';
import { useAgencies, useDepartments, usePositions } from './data.ts';

interface FormValues {
  username: string;
  fullName: string;
  email?: string;
  phone?: string;
  password?: string;
  roles: { role: Role; agencyId?: string | null }[];
  memberships: { departmentId?: string; positionId?: string | null; isPrimary?: boolean }[];
}

const PAGE_SIZE = 20;

export default function Officials() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as { q?: string; page?: number };
  const [role, setRole] = useState<Role | undefined>();
  const page = search.page ?? 1;
  const list = useQuery({
    queryKey: ['officials', search.q, page, role],
    queryFn: () =>
      api.get<{ items: OfficialSummary[]; total: number }>(
        `/api/org/officials${qs({ q: search.q, page, pageSize: PAGE_SIZE, role })}`,
      ),
  });
  const agencies = useAgencies();
  const departments = useDepartments();
  const positions = usePositions();
  const agencyName = new Map((agencies.data ?? []).map((a) => [a.id, a.shortName ?? a.name]));
  const [editing, setEditing] = useState<Official | 'new' | null>(null);
  const [form] = Form.useForm<FormValues>();
  const fail = useFail();

  const save = useMutation({
    mutationFn: async (v: FormValues) => {
      const memberships = (v.memberships ?? [])
        .filter((m) => m.departmentId)
        .map((m) => ({
          departmentId: m.departmentId!,
          positionId: m.positionId ?? null,
          isPrimary: !!m.isPrimary,
        }));
      const roles = (v.roles ?? [])
        .filter((r) => r.role)
        .map((r) => ({ role: r.role, agencyId: r.agencyId ?? null }));
      const common = { fullName: v.fullName, roles, memberships };
      if (editing === 'new') {
        return api.post<Official>('/api/org/officials', {
          ...common,
          username: v.username,
          password: v.password,
          ...(v.email ? { email: v.email } : {}),
          ...(v.phone ? { phone: v.phone } : {}),
        });
      }
      return api.patch<Official>(`/api/org/officials/${(editing as Official).id}`, {
        ...common,
        email: v.email || null,
        phone: v.phone || null,
      });
    },
    onSuccess: async () => {
      message.success(t('common.saved'));
      setEditing(null);
      await qc.invalidateQueries({ queryKey: ['officials'] });
    },
    onError: fail,
  });

  const openEdit = async (id: string) => {
    try {
      const o = await api.get<Official>(`/api/org/officials/${id}`);
      form.setFieldsValue({
        username: o.username,
        fullName: o.fullName,
        email: o.email ?? undefined,
        phone: o.phone ?? undefined,
        roles: o.roles,
        memberships: o.memberships.map((m) => ({
          departmentId: m.departmentId,
          positionId: m.positionId,
          isPrimary: m.isPrimary,
        })),
      });
      setEditing(o);
    } catch (e) {
      fail(e);
    }
  };

  const resetPassword = (o: OfficialSummary) => {
    const entered = { value: '' };
    modal.confirm({
      title: `${t('officials.resetPassword')}: ${o.fullName}`,
      content: (
        <Input.Password
          aria-label={t('profile.newPassword')}
          onChange={(e) => {
            entered.value = e.target.value;
          }}
        />
      ),
      okText: t('common.save'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.post(`/api/org/officials/${o.id}/reset-password`, { newPassword: entered.value });
          message.success(t('officials.passwordReset'));
        } catch (e) {
          fail(e);
          throw e;
        }
      },
    });
  };

  const toggleActive = async (o: OfficialSummary) => {
    try {
      await api.patch(`/api/org/officials/${o.id}`, { isActive: !o.isActive });
      await qc.invalidateQueries({ queryKey: ['officials'] });
    } catch (e) {
      fail(e);
    }
  };

  const agencyOptions = (agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }));
  const depOptions = (departments.data ?? []).map((d) => ({
    value: d.id,
    label: `${d.name} — ${agencyName.get(d.agencyId) ?? ''}`,
  }));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('officials.heading')}</Typography.Title>
      <Space wrap>
        <Input.Search
          allowClear
          style={{ width: 320 }}
          placeholder={t('officials.searchPlaceholder')}
          defaultValue={search.q}
          aria-label={t('common.search')}
          onSearch={(q) =>
            navigate({ to: '/to-chuc/can-bo', search: { q: q || undefined, page: undefined } })
          }
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('officials.anyRole')}
          value={role}
          onChange={setRole}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        />
        {can('org.manage') && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ roles: [], memberships: [{ isPrimary: true }] });
              setEditing('new');
            }}
          >
            {t('officials.add')}
          </Button>
        )}
      </Space>
      <Table<OfficialSummary>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total,
          showTotal: (n) => t('common.total', { count: n }),
          showSizeChanger: false,
          onChange: (p) => navigate({ to: '/to-chuc/can-bo', search: { q: search.q, page: p } }),
        }}
        columns={[
          { title: t('officials.fullName'), dataIndex: 'fullName' },
          { title: t('officials.username'), dataIndex: 'username' },
          { title: t('officials.position'), dataIndex: 'position', render: (v) => v ?? t('common.none') },
          {
            title: t('officials.unit'),
            key: 'unit',
            render: (_, o) =>
              o.primaryDepartment ? `${o.primaryDepartment} — ${o.primaryAgency}` : t('common.none'),
          },
          {
            title: t('officials.roles'),
            key: 'roles',
            render: (_, o) =>
              o.roles.map((r) => <Tag key={`${r.role}-${r.agencyId}`}>{t(`roles.${r.role}`)}</Tag>),
          },
          {
            title: t('common.status'),
            dataIndex: 'isActive',
            render: (v: boolean) => (
              <Tag color={v ? 'green' : 'red'}>{v ? t('common.active') : t('common.inactive')}</Tag>
            ),
          },
          ...(can('org.manage')
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, o: OfficialSummary) => (
                    <Space size="small" wrap>
                      <Button size="small" onClick={() => openEdit(o.id)}>
                        {t('common.edit')}
                      </Button>
                      <Button size="small" onClick={() => resetPassword(o)}>
                        {t('officials.resetPassword')}
                      </Button>
                      <Button size="small" danger={o.isActive} onClick={() => toggleActive(o)}>
                        {o.isActive ? t('officials.deactivate') : t('officials.activate')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Drawer
        open={editing !== null}
        width={620}
        title={editing === 'new' ? t('officials.add') : t('common.edit')}
        onClose={() => setEditing(null)}
        destroyOnHidden
        extra={
          <Space>
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form<FormValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            label={t('officials.username')}
            name="username"
            rules={[{ required: true, message: t('error.required') }, zodRule(Username)]}
          >
            <Input disabled={editing !== 'new'} autoComplete="off" />
          </Form.Item>
          <Form.Item
            label={t('officials.fullName')}
            name="fullName"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Input />
          </Form.Item>
          <Space style={{ display: 'flex' }} align="start">
            <Form.Item label={t('officials.email')} name="email" rules={[{ type: 'email' }]}>
              <Input style={{ width: 270 }} />
            </Form.Item>
            <Form.Item label={t('officials.phone')} name="phone" rules={[zodRule(Phone)]}>
              <Input style={{ width: 270 }} />
            </Form.Item>
          </Space>
          {editing === 'new' && (
            <Form.Item
              label={t('officials.password')}
              name="password"
              rules={[{ required: true, message: t('error.required') }, zodRule(NewPassword)]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
          <Typography.Text strong>{t('officials.department')}</Typography.Text>
          <Form.List name="memberships">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item label={t('officials.department')} name={[f.name, 'departmentId']}>
                      <Select
                        showSearch
                        filterOption={foldFilter}
                        options={depOptions}
                        style={{ width: 300 }}
                      />
                    </Form.Item>
                    <Form.Item label={t('officials.position')} name={[f.name, 'positionId']}>
                      <Select
                        allowClear
                        showSearch
                        filterOption={foldFilter}
                        style={{ width: 170 }}
                        options={(positions.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
                      />
                    </Form.Item>
                    <Form.Item
                      label={t('officials.primary')}
                      name={[f.name, 'isPrimary']}
                      valuePropName="checked"
                    >
                      <Checkbox />
                    </Form.Item>
                    <MinusCircleOutlined style={{ marginTop: 30 }} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ isPrimary: fields.length === 0 })}
                >
                  {t('officials.addMembership')}
                </Button>
              </>
            )}
          </Form.List>
          <div style={{ height: 16 }} />
          <Typography.Text strong>{t('officials.roles')}</Typography.Text>
          <Form.List name="roles">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item
                      label={t('officials.role')}
                      name={[f.name, 'role']}
                      rules={[{ required: true }]}
                    >
                      <Select
                        style={{ width: 170 }}
                        options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                      />
                    </Form.Item>
                    <Form.Item label={t('officials.roleAgency')} name={[f.name, 'agencyId']}>
                      <Select
                        allowClear
                        showSearch
                        filterOption={foldFilter}
                        style={{ width: 330 }}
                        options={agencyOptions}
                      />
                    </Form.Item>
                    <MinusCircleOutlined style={{ marginTop: 30 }} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                  {t('officials.addRole')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Drawer>
    </Space>
  );
}
