import { type DocumentSummary, URGENCIES, WORK_QUEUES, type WorkQueue } from '@congvu/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { Alert, Badge, DatePicker, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { foldFilter, formatDate, formatDateTime } from '../../util.ts';
import { numberNotation, useDocumentTypes, useWorklistCounts } from './data.ts';

export interface DocumentsSearch {
  queue?: WorkQueue;
  q?: string;
  direction?: 'incoming' | 'outgoing';
  typeId?: string;
  urgency?: (typeof URGENCIES)[number];
  from?: string;
  to?: string;
  page?: number;
}

const PAGE_SIZE = 20;

export function UrgencyTag({ urgency }: { urgency: DocumentSummary['urgency'] }) {
  const { t } = useTranslation();
  if (urgency === 'normal') return null;
  return <Tag color={urgency === 'urgent' ? 'orange' : 'red'}>{t(`documents.urgency.${urgency}`)}</Tag>;
}

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const color: Record<string, string> = {
    received: 'gold',
    registered: 'blue',
    assigned: 'geekblue',
    in_progress: 'processing',
    done: 'green',
    draft: 'default',
    in_review: 'purple',
    returned: 'volcano',
    approved: 'cyan',
    issued: 'green',
  };
  return <Tag color={color[status] ?? 'default'}>{t(`documents.status.${status}`, status)}</Tag>;
}

/** Worklists (one tab per queue, with counts) and the search over every readable document. */
export default function Documents() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as DocumentsSearch;
  const counts = useWorklistCounts();
  const types = useDocumentTypes();
  const page = search.page ?? 1;
  const set = (patch: Partial<DocumentsSearch>) =>
    navigate({ to: '/van-ban', search: { ...search, page: undefined, ...patch } as never });

  const filters = {
    q: search.q,
    direction: search.direction,
    typeId: search.typeId,
    urgency: search.urgency,
    from: search.from,
    to: search.to,
  };
  // The page comes first; the count (up to 1 000) arrives beside it and never holds it up.
  const list = useQuery({
    queryKey: ['documents', search],
    queryFn: async () => {
      if (search.queue) {
        const r = await api.get<{ items: DocumentSummary[]; total: number }>(
          `/api/documents/worklist${qs({ queue: search.queue, page, pageSize: PAGE_SIZE })}`,
        );
        return { items: r.items, hasMore: page * PAGE_SIZE < r.total, total: r.total };
      }
      return api.get<{ items: DocumentSummary[]; hasMore: boolean; total?: number }>(
        `/api/documents${qs({ ...filters, page, pageSize: PAGE_SIZE })}`,
      );
    },
  });
  const count = useQuery({
    queryKey: ['documents', 'count', filters],
    enabled: !search.queue,
    queryFn: () => api.get<{ total: number; capped: boolean }>(`/api/documents/count${qs(filters)}`),
  });
  // Until the count is known, pagination offers the next page when there is one.
  const known = search.queue ? list.data?.total : count.data?.total;
  const total =
    known ?? (page - 1) * PAGE_SIZE + (list.data?.items.length ?? 0) + (list.data?.hasMore ? 1 : 0);

  const tabs = [
    { key: 'all', label: t('documents.search.all') },
    ...WORK_QUEUES.map((q) => ({
      key: q,
      label: (
        <Space size={4}>
          {t(`documents.queues.${q}`)}
          <Badge
            count={counts.data?.[q] ?? 0}
            showZero={false}
            color={q === 'overdue' ? 'red' : 'blue'}
            data-testid={`count-${q}`}
          />
        </Space>
      ),
    })),
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('documents.search.heading')}</Typography.Title>
      <Tabs
        activeKey={search.queue ?? 'all'}
        items={tabs}
        onChange={(k) => set({ queue: k === 'all' ? undefined : (k as WorkQueue) })}
      />
      {!search.queue && (
        <Space wrap>
          <Input.Search
            allowClear
            style={{ width: 460 }}
            placeholder={t('documents.search.placeholder')}
            defaultValue={search.q}
            onSearch={(q) => set({ q: q || undefined })}
            aria-label={t('common.search')}
          />
          <Select
            allowClear
            style={{ width: 150 }}
            placeholder={t('documents.field.channel')}
            value={search.direction}
            onChange={(direction) => set({ direction })}
            options={(['incoming', 'outgoing'] as const).map((d) => ({
              value: d,
              label: t(`documents.direction.${d}`),
            }))}
          />
          <Select
            allowClear
            showSearch
            filterOption={foldFilter}
            style={{ width: 200 }}
            placeholder={t('documents.field.type')}
            value={search.typeId}
            onChange={(typeId) => set({ typeId })}
            options={(types.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
          <Select
            allowClear
            style={{ width: 150 }}
            placeholder={t('documents.field.urgency')}
            value={search.urgency}
            onChange={(urgency) => set({ urgency })}
            options={URGENCIES.map((u) => ({ value: u, label: t(`documents.urgency.${u}`) }))}
          />
          <DatePicker.RangePicker
            format="DD/MM/YYYY"
            value={search.from && search.to ? [dayjs(search.from), dayjs(search.to)] : null}
            onChange={(r) =>
              set({
                from: r?.[0]?.format('YYYY-MM-DD') ?? undefined,
                to: r?.[1]?.format('YYYY-MM-DD') ?? undefined,
              })
            }
          />
        </Space>
      )}
      {count.data?.capped && (
        <Alert type="info" showIcon message={t('documents.search.capped', { count: count.data.total })} />
      )}
      <Table<DocumentSummary>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: Math.max(total, list.data?.hasMore ? page * PAGE_SIZE + 1 : 0),
          showSizeChanger: false,
          showTotal: known !== undefined ? (n) => t('common.total', { count: n }) : undefined,
          onChange: (p) => navigate({ to: '/van-ban', search: { ...search, page: p } as never }),
        }}
        columns={[
          {
            title: t('documents.field.registerNumber'),
            width: 90,
            render: (_, d) => d.registerNumber ?? '—',
          },
          {
            title: t('documents.field.numberNotation'),
            width: 150,
            render: (_, d) => numberNotation(d),
          },
          {
            title: t('documents.field.subject'),
            render: (_, d) => (
              <Space direction="vertical" size={0}>
                <Link to="/van-ban/$id" params={{ id: d.id }}>
                  {d.typeName}: {d.subject}
                </Link>
                <Typography.Text type="secondary">{d.issuerName}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('documents.field.urgency'),
            width: 110,
            render: (_, d) => (
              <>
                <UrgencyTag urgency={d.urgency} />
                {d.secrecy !== 'none' && <Tag color="magenta">{t(`documents.secrecy.${d.secrecy}`)}</Tag>}
              </>
            ),
          },
          {
            title: t('documents.field.registeredAt'),
            width: 150,
            render: (_, d) =>
              d.registeredAt ? formatDateTime(d.registeredAt) : d.issuedOn ? formatDate(d.issuedOn) : '—',
          },
          {
            title: t('documents.field.status'),
            width: 170,
            render: (_, d) => <StatusTag status={d.status} />,
          },
        ]}
      />
    </Space>
  );
}
