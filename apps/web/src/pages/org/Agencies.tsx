import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { AGENCY_KINDS, type Agency, AgencyCode, LegacyAgencyCode } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { FormModal, useFail } from '../../components/FormModal.tsx';
import { useCan } from '../../session.ts';
import { foldFilter, formatDate } from '../../util.ts';
import { zodRule } from '../rules.ts';
import { type AgencyNode, toTree, useAgencies } from './data.ts';

export default function Agencies() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const [includeInactive, setIncludeInactive] = useState(false);
  const agencies = useAgencies({ asOf: asOf?.format('YYYY-MM-DD'), includeInactive });
  const all = useAgencies({ includeInactive: true });
  const [editing, setEditing] = useState<Agency | 'new' | null>(null);
  const [reorg, setReorg] = useState(false);
  const [form] = Form.useForm();
  const [reorgForm] = Form.useForm();
  const fail = useFail();
  const done = async () => {
    message.success(t('common.saved'));
    await qc.invalidateQueries({ queryKey: ['agencies'] });
  };

  const save = useMutation({
    mutationFn: (v: Record<string, string | undefined>) =>
      editing === 'new'
        ? api.post('/api/org/agencies', {
            code: v.code,
            name: v.name,
            kind: v.kind,
            ...(v.legacyCode ? { legacyCode: v.legacyCode } : {}),
            ...(v.shortName ? { shortName: v.shortName } : {}),
            ...(v.parentId ? { parentId: v.parentId } : {}),
          })
        : api.patch(`/api/org/agencies/${(editing as Agency).id}`, {
            name: v.name,
            shortName: v.shortName || null,
            legacyCode: v.legacyCode || null,
          }),
    onSuccess: async () => {
      setEditing(null);
      await done();
    },
    onError: fail,
  });

  const reorganise = useMutation({
    mutationFn: (v: {
      kind: 'merge' | 'split';
      effectiveDate: Dayjs;
      sourceIds: string[];
      targets: { code: string; name: string; kind: string }[];
      note?: string;
    }) =>
      api.post('/api/org/reorganisations', {
        kind: v.kind,
        effectiveDate: v.effectiveDate.format('YYYY-MM-DD'),
        sourceIds: v.sourceIds,
        targets: v.targets,
        ...(v.note ? { note: v.note } : {}),
      }),
    onSuccess: async () => {
      setReorg(false);
      await done();
    },
    onError: fail,
  });

  const kindOptions = AGENCY_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }));
  const agencyOptions = (all.data ?? [])
    .filter((a) => !a.validTo)
    .map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('agencies.heading')}</Typography.Title>
      <Space wrap>
        <span>{t('agencies.asOf')}</span>
        <DatePicker value={asOf} onChange={setAsOf} format="DD/MM/YYYY" />
        <Switch checked={includeInactive} onChange={setIncludeInactive} /> {t('agencies.showInactive')}
        {can('org.manage') && (
          <>
            <Button
              type="primary"
              onClick={() => {
                form.resetFields();
                setEditing('new');
              }}
            >
              {t('agencies.add')}
            </Button>
            <Button
              onClick={() => {
                reorgForm.resetFields();
                reorgForm.setFieldsValue({ kind: 'merge', targets: [{ kind: 'province_department' }] });
                setReorg(true);
              }}
            >
              {t('agencies.reorganise')}
            </Button>
          </>
        )}
      </Space>
      <Table<AgencyNode>
        // Remount once loaded so every level starts expanded.
        key={agencies.data ? 'loaded' : 'loading'}
        rowKey="id"
        loading={agencies.isLoading}
        dataSource={toTree(agencies.data ?? [])}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        columns={[
          { title: t('agencies.name'), dataIndex: 'name' },
          {
            title: t('agencies.code'),
            dataIndex: 'code',
            render: (v) => <Typography.Text code>{v}</Typography.Text>,
          },
          { title: t('agencies.legacyCode'), dataIndex: 'legacyCode', render: (v) => v ?? t('common.none') },
          { title: t('agencies.kind'), dataIndex: 'kind', render: (k) => t(`kinds.${k}`) },
          {
            title: t('agencies.validFrom'),
            key: 'valid',
            render: (_, a) => (
              <>
                {formatDate(a.validFrom)}
                {a.validTo && (
                  <>
                    {' – '}
                    {formatDate(a.validTo)} <Tag color="red">{t('common.inactive')}</Tag>
                  </>
                )}
              </>
            ),
          },
          ...(can('org.manage')
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, a: Agency) => (
                    <Button
                      size="small"
                      onClick={() => {
                        form.setFieldsValue({
                          ...a,
                          legacyCode: a.legacyCode ?? '',
                          shortName: a.shortName ?? '',
                        });
                        setEditing(a);
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
        title={editing === 'new' ? t('agencies.add') : t('common.edit')}
        saving={save.isPending}
        onClose={() => setEditing(null)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            label={t('agencies.code')}
            name="code"
            rules={[{ required: true, message: t('error.required') }, zodRule(AgencyCode)]}
          >
            <Input disabled={editing !== 'new'} placeholder="H99.12" />
          </Form.Item>
          <Form.Item label={t('agencies.legacyCode')} name="legacyCode" rules={[zodRule(LegacyAgencyCode)]}>
            <Input placeholder="000.00.12.H99" />
          </Form.Item>
          <Form.Item
            label={t('agencies.name')}
            name="name"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item label={t('agencies.shortName')} name="shortName">
            <Input />
          </Form.Item>
          {editing === 'new' && (
            <>
              <Form.Item
                label={t('agencies.kind')}
                name="kind"
                rules={[{ required: true }]}
                initialValue="province_department"
              >
                <Select options={kindOptions} />
              </Form.Item>
              <Form.Item label={t('agencies.parent')} name="parentId">
                <Select allowClear showSearch filterOption={foldFilter} options={agencyOptions} />
              </Form.Item>
            </>
          )}
        </Form>
      </FormModal>
      <FormModal
        form={reorgForm}
        open={reorg}
        width={720}
        title={t('agencies.reorganise')}
        saving={reorganise.isPending}
        onClose={() => setReorg(false)}
      >
        <Form form={reorgForm} layout="vertical" onFinish={(v) => reorganise.mutate(v)}>
          <Form.Item name="kind" label={t('agencies.kind')}>
            <Radio.Group
              options={[
                { value: 'merge', label: t('agencies.merge') },
                { value: 'split', label: t('agencies.split') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('agencies.sources')} name="sourceIds" rules={[{ required: true }]}>
            <Select mode="multiple" showSearch filterOption={foldFilter} options={agencyOptions} />
          </Form.Item>
          <Form.Item label={t('agencies.effectiveDate')} name="effectiveDate" rules={[{ required: true }]}>
            <DatePicker format="DD/MM/YYYY" />
          </Form.Item>
          <Typography.Text strong>{t('agencies.newTargets')}</Typography.Text>
          <Form.List name="targets">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item
                      label={t('agencies.code')}
                      name={[f.name, 'code']}
                      rules={[{ required: true }, zodRule(AgencyCode)]}
                    >
                      <Input style={{ width: 130 }} />
                    </Form.Item>
                    <Form.Item
                      label={t('agencies.name')}
                      name={[f.name, 'name']}
                      rules={[{ required: true }]}
                    >
                      <Input style={{ width: 280 }} />
                    </Form.Item>
                    <Form.Item
                      label={t('agencies.kind')}
                      name={[f.name, 'kind']}
                      rules={[{ required: true }]}
                    >
                      <Select style={{ width: 170 }} options={kindOptions} />
                    </Form.Item>
                    <MinusCircleOutlined style={{ marginTop: 30 }} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ kind: 'province_department' })}
                >
                  {t('agencies.addTarget')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item label={t('agencies.note')} name="note" style={{ marginTop: 12 }}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}
