import { PlusOutlined } from '@ant-design/icons';
import {
  AUTHORITY_LEVELS,
  ONLINE_LEVELS,
  type ProcedureSector,
  type ProcedureSummary,
} from '@congvu/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { useCan } from '../../session.ts';
import { formatDate } from '../../util.ts';

/** /thu-tuc: the procedure catalogue (versions in force on a day), searchable without diacritics. */
export default function Procedures() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<{
    sectorCode?: string;
    authorityLevel?: string;
    onlineLevel?: string;
    published?: string;
    on?: string;
  }>({});
  const [page, setPage] = useState(1);
  const sectors = useQuery({
    queryKey: ['procedure-sectors'],
    queryFn: () => api.get<{ items: ProcedureSector[] }>('/api/procedure-sectors'),
  });
  const list = useQuery({
    queryKey: ['procedures', q, filters, page],
    queryFn: () =>
      api.get<{ items: ProcedureSummary[]; total: number }>(
        `/api/procedures${qs({ q, ...filters, page, pageSize: 50 })}`,
      ),
  });
  const set = (k: keyof typeof filters) => (v: string | undefined) => {
    setFilters((f) => ({ ...f, [k]: v }));
    setPage(1);
  };
  return (
    <Card
      title={t('procedures.heading')}
      extra={
        can('procedures.manage') && (
          <Space>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate({ to: '/thu-tuc/moi' })}>
              {t('procedures.editor.create')}
            </Button>
            <Button onClick={() => navigate({ to: '/thu-tuc/nhap' })}>{t('procedures.import.nav')}</Button>
          </Space>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('procedures.search')}
          style={{ width: 320 }}
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
          aria-label={t('procedures.search')}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('procedures.sector')}
          style={{ width: 240 }}
          options={(sectors.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))}
          onChange={set('sectorCode')}
        />
        <Select
          allowClear
          placeholder={t('procedures.level')}
          style={{ width: 150 }}
          options={AUTHORITY_LEVELS.map((l) => ({ value: l, label: t(`procedures.levels.${l}`) }))}
          onChange={set('authorityLevel')}
        />
        <Select
          allowClear
          placeholder={t('procedures.online')}
          style={{ width: 150 }}
          options={ONLINE_LEVELS.map((l) => ({ value: l, label: t(`procedures.onlineLevels.${l}`) }))}
          onChange={set('onlineLevel')}
        />
        <Select
          allowClear
          placeholder={t('procedures.published')}
          style={{ width: 160 }}
          options={[
            { value: 'true', label: t('procedures.isPublished') },
            { value: 'false', label: t('procedures.notPublished') },
          ]}
          onChange={set('published')}
        />
        <DatePicker
          format="DD/MM/YYYY"
          placeholder={t('procedures.inForceOn')}
          onChange={(d) => set('on')(d ? dayjs(d).format('YYYY-MM-DD') : undefined)}
        />
      </Space>
      <Table<ProcedureSummary>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 50,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          { title: t('procedures.code'), dataIndex: 'code', width: 110 },
          {
            title: t('procedures.name'),
            dataIndex: 'name',
            render: (name: string, p) => (
              <Link to="/thu-tuc/$id" params={{ id: p.id }}>
                {name}
              </Link>
            ),
          },
          { title: t('procedures.sector'), dataIndex: 'sectorName', width: 200 },
          {
            title: t('procedures.level'),
            dataIndex: 'authorityLevel',
            width: 100,
            render: (l: string) => t(`procedures.levels.${l}`),
          },
          {
            title: t('procedures.online'),
            dataIndex: 'onlineLevel',
            width: 110,
            render: (l: string) => (
              <Tag color={l === 'full' ? 'green' : 'blue'}>{t(`procedures.onlineLevels.${l}`)}</Tag>
            ),
          },
          {
            title: t('procedures.validity'),
            width: 170,
            render: (_: unknown, p) => (
              <Typography.Text>
                {formatDate(p.validFrom)}
                {p.validTo ? ` – ${formatDate(p.validTo)}` : ''}
              </Typography.Text>
            ),
          },
          {
            title: t('procedures.published'),
            dataIndex: 'published',
            width: 120,
            render: (v: boolean) =>
              v ? (
                <Tag color="green">{t('procedures.isPublished')}</Tag>
              ) : (
                <Tag>{t('procedures.notPublished')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
