import type { ExchangeHealth, ExchangeInboundItem, ExchangeOutboundItem } from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { App, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../api.ts';
import { useFail } from '../components/FormModal.tsx';
import { formatDateTime } from '../util.ts';

const OUTCOMES = ['accepted', 'duplicate', 'applied', 'unknown_document', 'rejected'] as const;

/** Liên thông: the installation's connection to the hub — what waits, what went, what came. */
export default function Exchange() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fail = useFail();
  const { message } = App.useApp();
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number] | undefined>(undefined);
  const health = useQuery({
    queryKey: ['exchange', 'health'],
    queryFn: () => api.get<ExchangeHealth>('/api/exchange/health'),
    refetchInterval: 15_000,
  });
  const queued = useQuery({
    queryKey: ['exchange', 'outbound', 'queued'],
    queryFn: () => api.get<{ items: ExchangeOutboundItem[] }>('/api/exchange/outbound?state=queued'),
    refetchInterval: 15_000,
  });
  const sent = useQuery({
    queryKey: ['exchange', 'outbound', 'sent'],
    queryFn: () => api.get<{ items: ExchangeOutboundItem[] }>('/api/exchange/outbound?state=sent&limit=50'),
  });
  const inbound = useQuery({
    queryKey: ['exchange', 'inbound', outcome],
    queryFn: () =>
      api.get<{ items: ExchangeInboundItem[] }>(`/api/exchange/inbound${qs({ outcome, limit: 100 })}`),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['exchange'] });
  const retry = useMutation({
    mutationFn: (id: string) => api.post(`/api/exchange/outbound/${id}/retry`),
    onSuccess: async () => {
      void message.success(t('exchange.retried'));
      await refresh();
    },
    onError: fail,
  });
  const sync = useMutation({
    mutationFn: () => api.post<{ agencies: number }>('/api/exchange/directory/sync'),
    onSuccess: (r) => void message.success(t('exchange.synced', { n: r.agencies })),
    onError: fail,
  });
  const what = (o: ExchangeOutboundItem) =>
    o.kind === 'status'
      ? `${t('exchange.status')} ${o.statusCode}`
      : t(`exchange.business.${o.businessType ?? 0}`);
  const outboundColumns = [
    { title: t('exchange.created'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: t('exchange.what'), key: 'what', render: (_: unknown, o: ExchangeOutboundItem) => what(o) },
    {
      title: t('exchange.document'),
      key: 'doc',
      render: (_: unknown, o: ExchangeOutboundItem) => (
        <Link to="/van-ban/$id" params={{ id: o.documentId }}>
          {o.edxmlDocumentId}
        </Link>
      ),
    },
    { title: t('exchange.to'), dataIndex: 'recipients', render: (v: string[]) => v.join(', ') },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('exchange.heading')}</Typography.Title>
      <Row gutter={16}>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic
              title={t('exchange.connection')}
              value={health.data?.connected ? t('exchange.connected') : t('exchange.notConnected')}
            />
          </Card>
        </Col>
        {(['queued', 'sent', 'inbound', 'rejected'] as const).map((k) => (
          <Col xs={12} md={4} key={k}>
            <Card size="small">
              <Statistic title={t(`exchange.count.${k}`)} value={health.data?.[k] ?? '—'} />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={4}>
          <Button onClick={() => sync.mutate()} loading={sync.isPending} disabled={!health.data?.connected}>
            {t('exchange.sync')}
          </Button>
        </Col>
      </Row>
      <Card size="small" title={t('exchange.queued')}>
        <Table<ExchangeOutboundItem>
          rowKey="id"
          size="small"
          loading={queued.isLoading}
          dataSource={queued.data?.items}
          pagination={false}
          columns={[
            ...outboundColumns,
            { title: t('exchange.attempts'), dataIndex: 'attempts' },
            {
              title: t('exchange.lastError'),
              dataIndex: 'lastError',
              render: (v: string | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : '—'),
            },
            {
              title: '',
              key: 'retry',
              render: (_: unknown, o: ExchangeOutboundItem) => (
                <Button size="small" onClick={() => retry.mutate(o.id)}>
                  {t('exchange.retry')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('exchange.sentList')}>
        <Table<ExchangeOutboundItem>
          rowKey="id"
          size="small"
          loading={sent.isLoading}
          dataSource={sent.data?.items}
          pagination={false}
          columns={[
            ...outboundColumns,
            {
              title: t('exchange.sentAt'),
              dataIndex: 'sentAt',
              render: (v: string | null) => (v ? formatDateTime(v) : '—'),
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('exchange.inboundList')}
        extra={
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('exchange.outcomeFilter')}
            value={outcome}
            onChange={setOutcome}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`exchange.outcome.${o}`) }))}
          />
        }
      >
        <Table<ExchangeInboundItem>
          rowKey="hubMessageId"
          size="small"
          loading={inbound.isLoading}
          dataSource={inbound.data?.items}
          pagination={false}
          columns={[
            {
              title: t('exchange.received'),
              dataIndex: 'receivedAt',
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t('exchange.what'),
              key: 'what',
              render: (_: unknown, i: ExchangeInboundItem) =>
                i.kind === 'status'
                  ? `${t('exchange.status')} ${i.statusCode}`
                  : t(`exchange.business.${i.businessType ?? 0}`),
            },
            { title: t('exchange.from'), dataIndex: 'from' },
            {
              title: t('exchange.document'),
              key: 'doc',
              render: (_: unknown, i: ExchangeInboundItem) =>
                i.documentId ? (
                  <Link to="/van-ban/$id" params={{ id: i.documentId }}>
                    {i.edxmlDocumentId}
                  </Link>
                ) : (
                  i.edxmlDocumentId
                ),
            },
            {
              title: t('exchange.outcomeFilter'),
              dataIndex: 'outcome',
              render: (v: ExchangeInboundItem['outcome'], i: ExchangeInboundItem) => (
                <Space direction="vertical" size={0}>
                  <Tag color={v === 'rejected' ? 'red' : v === 'duplicate' ? 'orange' : 'green'}>
                    {t(`exchange.outcome.${v}`)}
                  </Tag>
                  {i.detail && <Typography.Text type="secondary">{i.detail}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: t('exchange.signature'),
              dataIndex: 'xmlSignature',
              render: (v: ExchangeInboundItem['xmlSignature']) => t(`documents.exchange.xml.${v}`),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
