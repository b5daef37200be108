import type { AuditEntry } from '@congvu/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../api.ts';
import { formatDateTime } from '../util.ts';

const ENTITY_TYPES = [
  'official',
  'agency',
  'department',
  'position',
  'delegation',
  'api_token',
  'blob',
  'holiday_notice',
  'agency_reorganisation',
];

export default function Audit() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [action, setAction] = useState('');
  const [entityType, setEntityType] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [verify, setVerify] = useState<{
    ok: boolean;
    checked: number;
    brokenAt: string | null;
    reason: string | null;
  } | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const list = useQuery({
    queryKey: [
      'audit',
      page,
      action,
      entityType,
      range?.[0]?.format('YYYY-MM-DD'),
      range?.[1]?.format('YYYY-MM-DD'),
    ],
    queryFn: () =>
      api.get<{ items: AuditEntry[]; total: number }>(
        `/api/audit${qs({
          page,
          pageSize: 50,
          action: action || undefined,
          entityType,
          from: range?.[0]?.format('YYYY-MM-DD'),
          to: range?.[1]?.format('YYYY-MM-DD'),
        })}`,
      ),
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('audit.heading')}</Typography.Title>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('audit.action')}
          aria-label={t('audit.action')}
          style={{ width: 220 }}
          onSearch={(v) => {
            setAction(v.trim());
            setPage(1);
          }}
        />
        <Select
          allowClear
          placeholder={t('audit.entity')}
          style={{ width: 200 }}
          value={entityType}
          onChange={(v) => {
            setEntityType(v);
            setPage(1);
          }}
          options={ENTITY_TYPES.map((e) => ({ value: e, label: e }))}
        />
        <DatePicker.RangePicker format="DD/MM/YYYY" value={range} onChange={(v) => setRange(v)} />
        <Button
          onClick={async () => {
            setVerifyError(null);
            try {
              setVerify(await api.get('/api/audit/verify'));
            } catch (e) {
              setVerifyError(e instanceof ApiError ? e.text : String(e));
            }
          }}
        >
          {t('audit.verify')}
        </Button>
      </Space>
      {verify && (
        <Alert
          showIcon
          type={verify.ok ? 'success' : 'error'}
          message={
            verify.ok
              ? t('audit.verifyOk', { count: verify.checked })
              : t('audit.verifyBad', { id: verify.brokenAt, reason: verify.reason })
          }
        />
      )}
      {verifyError && <Alert type="error" showIcon message={verifyError} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items}
        expandable={{
          expandedRowRender: (r) => (
            <pre style={{ margin: 0, fontSize: 12 }}>{JSON.stringify(r.summary, null, 2)}</pre>
          ),
        }}
        pagination={{
          current: page,
          pageSize: 50,
          total: list.data?.total,
          showSizeChanger: false,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: setPage,
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', render: formatDateTime, width: 150 },
          {
            title: t('audit.actor'),
            key: 'actor',
            render: (_, r) => (
              <>
                {r.actorName ?? t('audit.system')}
                {r.onBehalfOfName && (
                  <Typography.Text type="secondary">
                    {' '}
                    ({t('audit.onBehalfOf')} {r.onBehalfOfName})
                  </Typography.Text>
                )}
              </>
            ),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (v) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: t('audit.entity'),
            key: 'entity',
            render: (_, r) => `${r.entityType}${r.entityId ? ` ${r.entityId.slice(0, 8)}…` : ''}`,
          },
          { title: t('audit.ip'), dataIndex: 'ip', render: (v) => v ?? t('common.none') },
        ]}
      />
    </Space>
  );
}
