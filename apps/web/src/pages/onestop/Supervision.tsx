import { useNavigate, useSearch } from '@tanstack/react-router';
import { Alert, DatePicker, Progress, Segmented, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import type { HTMLAttributes } from 'react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api.ts';
import { foldFilter } from '../../util.ts';
import { type DashboardBy, type DashboardRow, onTimeRate, useDashboard } from './data.ts';

export interface SupervisionSearch {
  by?: DashboardBy;
  agencyId?: string;
  /** The period, yyyy-mm-dd (default: this month). */
  from?: string;
  to?: string;
}

type Count = Exclude<keyof DashboardRow, 'key' | 'name' | 'code'>;
const COUNTS: Array<[Count, string]> = [
  ['total', 'total'],
  ['in_progress_on_time', 'inProgressOnTime'],
  ['in_progress_late', 'inProgressLate'],
  ['paused', 'paused'],
  ['done_on_time', 'doneOnTime'],
  ['done_late', 'doneLate'],
  ['withdrawn', 'withdrawn'],
  ['stopped', 'stopped'],
  ['refused', 'refused'],
];

const collator = new Intl.Collator('vi');
const num = (n: number) => n.toLocaleString('vi-VN');
const pct = (x: number) => `${(x * 100).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} %`;
/** Marks a cell for browser tests (antd passes these attributes to the <td>). */
const col = (name: string) => () => ({ 'data-col': name }) as HTMLAttributes<HTMLElement>;

function Rate({ r }: { r: DashboardRow }) {
  const rate = onTimeRate(r);
  if (rate === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Progress
      size="small"
      percent={Math.round(rate * 1000) / 10}
      status={rate >= 0.9 ? 'success' : rate >= 0.7 ? 'normal' : 'exception'}
      format={() => pct(rate)}
      style={{ minWidth: 120, margin: 0 }}
    />
  );
}

/**
 * /mot-cua/giam-sat: dossiers received in a period by agency, procedure or officer — in progress on
 * time or late, paused, done on time or late, withdrawn, stopped, refused — with the on-time rate; a
 * row opens the dossier list filtered the same way.
 */
export default function Supervision() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // Kept in the address: back from a row's dossier list returns to the same period and grouping.
  const search = useSearch({ strict: false }) as SupervisionSearch;
  const by = search.by ?? 'agency';
  const agencyId = search.agencyId;
  const from = search.from ?? dayjs().startOf('month').format('YYYY-MM-DD');
  const to = search.to ?? dayjs().endOf('month').format('YYYY-MM-DD');
  const range: [Dayjs, Dayjs] = [dayjs(from), dayjs(to)];
  const go = (patch: Partial<SupervisionSearch>) =>
    navigate({ to: '/mot-cua/giam-sat', search: { ...search, ...patch } as never, replace: true });
  const setBy = (v: DashboardBy) => go({ by: v });
  const setAgencyId = (v: string | undefined) => go({ agencyId: v });
  const setRange = (v: [Dayjs, Dayjs]) =>
    go({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') });
  // The agencies in scope with dossiers in the period: the agency filter's choices.
  const agencies = useDashboard({ by: 'agency', from, to });
  const q = useDashboard({ by, from, to, agencyId });

  const rows = useMemo(
    () =>
      [...(q.data?.rows ?? [])].sort(
        (a, b) =>
          (a.key === null ? 1 : 0) - (b.key === null ? 1 : 0) || collator.compare(a.name ?? '', b.name ?? ''),
      ),
    [q.data],
  );
  const agencyOptions = useMemo(
    () =>
      (agencies.data?.rows ?? [])
        .filter((r) => r.key !== null)
        .map((r) => ({ value: r.key as string, label: r.name ?? r.code ?? '' }))
        .sort((a, b) => collator.compare(a.label, b.label)),
    [agencies.data],
  );

  const label = (r: DashboardRow) =>
    r.key === null
      ? t('supervision.noOfficial')
      : by === 'procedure'
        ? `${r.code} — ${r.name ?? ''}`
        : (r.name ?? r.code ?? r.key);

  const open = (r: DashboardRow) => {
    if (r.key === null) return;
    navigate({
      to: '/mot-cua/ho-so',
      search: {
        scope: 'all',
        from,
        to,
        label: label(r),
        ...(by === 'agency' ? { agencyId: r.key } : agencyId ? { agencyId } : {}),
        ...(by === 'procedure' && { procedureCode: r.key }),
        ...(by === 'official' && { officialId: r.key }),
      } as never,
    });
  };

  const columns: ColumnsType<DashboardRow> = [
    {
      title: t(`supervision.name.${by}`),
      key: 'name',
      onCell: col('name'),
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text>{label(r)}</Typography.Text>
          {by !== 'procedure' && r.code && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.code}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    ...COUNTS.map(([k, msg]) => ({
      title: t(`supervision.${msg}`),
      key: k,
      align: 'right' as const,
      width: 96,
      onCell: col(k),
      render: (_: unknown, r: DashboardRow) => (
        <Typography.Text
          type={k === 'in_progress_late' || k === 'done_late' ? (r[k] ? 'danger' : undefined) : undefined}
        >
          {num(r[k])}
        </Typography.Text>
      ),
    })),
    {
      title: <Tooltip title={t('supervision.onTimeRateHint')}>{t('supervision.onTimeRate')}</Tooltip>,
      key: 'rate',
      width: 170,
      onCell: col('rate'),
      render: (_, r) => <Rate r={r} />,
    },
  ];

  const sum = rows.reduce<DashboardRow>(
    (s, r) => {
      for (const [k] of COUNTS) s[k] += r[k];
      return s;
    },
    {
      key: 'sum',
      name: null,
      code: null,
      total: 0,
      in_progress_on_time: 0,
      in_progress_late: 0,
      paused: 0,
      done_on_time: 0,
      done_late: 0,
      withdrawn: 0,
      stopped: 0,
      refused: 0,
    },
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('supervision.heading')}</Typography.Title>
      <Space wrap>
        <DatePicker.RangePicker
          format="DD/MM/YYYY"
          allowClear={false}
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
        {(agencyOptions.length > 1 || agencyId) && (
          <Select
            allowClear
            showSearch
            aria-label={t('oneStop.field.agency')}
            style={{ minWidth: 320 }}
            placeholder={t('supervision.allAgencies')}
            value={agencyId}
            onChange={setAgencyId}
            filterOption={foldFilter}
            options={agencyOptions}
          />
        )}
        <Segmented
          value={by}
          onChange={(v) => setBy(v as DashboardBy)}
          options={(['agency', 'procedure', 'official'] as const).map((b) => ({
            value: b,
            label: t(`supervision.by.${b}`),
          }))}
        />
      </Space>
      <Typography.Text type="secondary">
        {t('supervision.lateAsOf')} {t('supervision.rowHint')}
      </Typography.Text>
      {q.error && <Alert type="error" showIcon message={(q.error as ApiError).text ?? q.error.message} />}
      <Table<DashboardRow>
        data-testid="supervision-table"
        size="small"
        rowKey={(r) => r.key ?? '-'}
        loading={q.isFetching}
        pagination={false}
        scroll={{ x: 1200 }}
        dataSource={rows}
        locale={{ emptyText: t('oneStop.list.empty') }}
        onRow={(r) => ({ onClick: () => open(r), style: { cursor: r.key === null ? undefined : 'pointer' } })}
        columns={columns}
        summary={() =>
          rows.length > 1 ? (
            <Table.Summary.Row data-row-key="sum">
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t('supervision.sum')}</Typography.Text>
              </Table.Summary.Cell>
              {COUNTS.map(([k], i) => (
                <Table.Summary.Cell key={k} index={i + 1} align="right">
                  <Typography.Text strong>{num(sum[k])}</Typography.Text>
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={COUNTS.length + 1}>
                <Rate r={sum} />
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Space>
  );
}
