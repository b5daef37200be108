import { useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, qs } from '../../api.ts';
import { foldFilter, formatDate } from '../../util.ts';
import { useAgencies } from '../org/data.ts';

interface Figure {
  code: string;
  groupLabel: string;
  label: string;
  numerator: number | null;
  denominator: number | null;
  ratio: number | null;
  points: number | null;
  maxPoints: number;
  status: 'ok' | 'no_dossiers' | 'no_data' | 'constant';
  rule: { kind: string; threshold: number | null; factorBelow: number | null; validFrom: string };
  formula: string;
}
interface IndexResult {
  from: string;
  to: string;
  periodEnd: string;
  figures: Figure[];
  total: number;
  totalMax: number;
  maxPoints: number;
}

const pct = (x: number | null) =>
  x === null ? '—' : `${(x * 100).toLocaleString('vi-VN', { maximumFractionDigits: 2 })} %`;
const num = (x: number | null) => (x === null ? '—' : x.toLocaleString('vi-VN'));

/** /mot-cua/chi-so: the QĐ 766 figures of an agency or of everything in the reader's scope, with formulas. */
export default function ServiceIndex() {
  const { t } = useTranslation();
  const agencies = useAgencies();
  const [agencyId, setAgencyId] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const q = useQuery({
    queryKey: ['index766', agencyId, from, to],
    queryFn: () => api.get<IndexResult>(`/api/dossiers/stats/index766${qs({ agencyId, from, to })}`),
  });
  const exportUrl = (ext: 'csv' | 'xlsx') => `/api/dossiers/export.${ext}${qs({ agencyId, from, to })}`;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('serviceIndex.heading')}</Typography.Title>
      <Space wrap>
        <Select
          allowClear
          showSearch
          style={{ minWidth: 320 }}
          placeholder={t('serviceIndex.allAgencies')}
          value={agencyId}
          onChange={setAgencyId}
          filterOption={foldFilter}
          options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
        />
        <DatePicker.RangePicker
          format="DD/MM/YYYY"
          allowClear={false}
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
        <Button href={exportUrl('csv')}>{t('serviceIndex.exportCsv')}</Button>
        <Button href={exportUrl('xlsx')}>{t('serviceIndex.exportXlsx')}</Button>
      </Space>
      {q.error && <Alert type="error" showIcon message={(q.error as ApiError).text ?? q.error.message} />}
      {q.data && (
        <Typography.Paragraph>
          {t('serviceIndex.summary', {
            total: q.data.total.toLocaleString('vi-VN'),
            totalMax: q.data.totalMax.toLocaleString('vi-VN'),
            maxPoints: q.data.maxPoints.toLocaleString('vi-VN'),
            periodEnd: formatDate(q.data.periodEnd),
          })}
        </Typography.Paragraph>
      )}
      <Table<Figure>
        rowKey="code"
        size="small"
        loading={q.isLoading}
        pagination={false}
        dataSource={q.data?.figures ?? []}
        columns={[
          { title: t('serviceIndex.group'), dataIndex: 'groupLabel', width: 170 },
          { title: t('serviceIndex.indicator'), dataIndex: 'label', width: 220 },
          {
            title: t('serviceIndex.fraction'),
            width: 130,
            render: (_, f) => (f.denominator === null ? '—' : `${num(f.numerator)} / ${num(f.denominator)}`),
          },
          { title: t('serviceIndex.ratio'), width: 100, render: (_, f) => pct(f.ratio) },
          {
            title: t('serviceIndex.points'),
            width: 130,
            render: (_, f) =>
              f.status === 'no_data' ? (
                <Tag>{t('serviceIndex.noData')}</Tag>
              ) : f.points === null ? (
                <Tag>{t('serviceIndex.noDossiers')}</Tag>
              ) : (
                `${num(f.points)} / ${num(f.maxPoints)}`
              ),
          },
          {
            title: t('serviceIndex.formula'),
            render: (_, f) => (
              <Typography.Text type="secondary">
                {f.formula}
                {` (${t('serviceIndex.ruleFrom', { date: formatDate(f.rule.validFrom) })})`}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Space>
  );
}
