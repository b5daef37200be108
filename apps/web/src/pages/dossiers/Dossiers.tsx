import { DOSSIER_STATES, type DossierListItem, type DossierState } from '@congvu/contracts';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { Checkbox, Input, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../session.ts';
import { formatDate, formatDateTime } from '../../util.ts';
import { STATE_COLOR, useDossierList } from './data.ts';

type Scope = 'mine' | 'agency' | 'all';
export interface DossiersSearch {
  scope?: Scope;
  state?: DossierState;
  overdue?: boolean;
  q?: string;
  page?: number;
  /** A row of the supervisor dashboard: its filter, the period (yyyy-mm-dd) and what it is called. */
  agencyId?: string;
  procedureCode?: string;
  officialId?: string;
  from?: string;
  to?: string;
  label?: string;
}

const PAGE = 50;

/** Dossiers by queue: mine (steps for me or my role), my agency's, all I may read; filters and search. */
export default function Dossiers() {
  const { t } = useTranslation();
  const can = useCan();
  const search = useSearch({ strict: false }) as DossiersSearch;
  const navigate = useNavigate();
  const scope = search.scope ?? 'mine';
  const page = search.page ?? 1;
  const list = useDossierList({
    scope,
    ...(search.state && { state: search.state }),
    ...(search.overdue && { overdue: 'true' }),
    ...(search.q && { q: search.q }),
    ...(search.agencyId && { agencyId: search.agencyId }),
    ...(search.procedureCode && { procedureCode: search.procedureCode }),
    ...(search.officialId && { officialId: search.officialId }),
    ...(search.from && { from: search.from }),
    ...(search.to && { to: search.to }),
    limit: PAGE,
    offset: (page - 1) * PAGE,
  } as never);
  const go = (patch: Partial<DossiersSearch>) =>
    navigate({ to: '/mot-cua/ho-so', search: { ...search, page: undefined, ...patch } as never });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t(`oneStop.list.${scope}`)}</Typography.Title>
      <Space wrap>
        <Segmented
          value={scope}
          onChange={(v) => go({ scope: v as Scope })}
          options={[
            ...(can('dossiers.process') ? [{ value: 'mine', label: t('oneStop.list.mine') }] : []),
            { value: 'agency', label: t('oneStop.list.agency') },
            { value: 'all', label: t('oneStop.list.all') },
          ]}
        />
        <Select
          allowClear
          style={{ width: 230 }}
          placeholder={t('oneStop.field.status')}
          value={search.state}
          onChange={(v?: DossierState) => go({ state: v })}
          options={DOSSIER_STATES.map((s) => ({ value: s, label: t(`oneStop.state.${s}`) }))}
        />
        <Checkbox checked={!!search.overdue} onChange={(e) => go({ overdue: e.target.checked || undefined })}>
          {t('oneStop.list.overdueOnly')}
        </Checkbox>
        {(search.agencyId || search.procedureCode || search.officialId || search.from || search.to) && (
          <Tag
            closable
            color="blue"
            data-testid="list-filter"
            onClose={() =>
              go({
                agencyId: undefined,
                procedureCode: undefined,
                officialId: undefined,
                from: undefined,
                to: undefined,
                label: undefined,
              })
            }
          >
            {t('oneStop.list.filteredBy', {
              label: search.label ?? '',
              from: search.from ? formatDate(search.from) : '…',
              to: search.to ? formatDate(search.to) : '…',
            })}
          </Tag>
        )}
        <Input.Search
          allowClear
          style={{ width: 340 }}
          placeholder={t('oneStop.field.search')}
          defaultValue={search.q}
          onSearch={(q) => go({ q: q || undefined })}
        />
      </Space>
      <Table<DossierListItem>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('oneStop.list.empty') }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (p) => navigate({ to: '/mot-cua/ho-so', search: { ...search, page: p } as never }),
        }}
        columns={[
          {
            title: t('oneStop.field.code'),
            dataIndex: 'code',
            render: (code: string, d) => (
              <Link to="/mot-cua/ho-so/$id" params={{ id: d.id }}>
                {code}
              </Link>
            ),
          },
          { title: t('oneStop.field.applicant'), dataIndex: 'applicantName' },
          {
            title: t('oneStop.field.procedure'),
            render: (_, d) => `${d.procedureCode} — ${d.procedureName}`,
            ellipsis: true,
          },
          { title: t('oneStop.field.channel'), render: (_, d) => t(`oneStop.channel.${d.channel}`) },
          {
            title: t('oneStop.field.status'),
            render: (_, d) => <Tag color={STATE_COLOR[d.state]}>{t(`oneStop.state.${d.state}`)}</Tag>,
          },
          {
            title: t('oneStop.field.currentStep'),
            render: (_, d) =>
              d.currentStepName
                ? `${d.currentStepName}${d.currentStepOfficialName ? ` (${d.currentStepOfficialName})` : ''}${
                    d.currentAgencyName ? ` · ${d.currentAgencyName}` : ''
                  }`
                : '—',
          },
          {
            title: t('oneStop.field.dueAt'),
            render: (_, d) =>
              d.dueAt ? (
                <Typography.Text type={d.overdue ? 'danger' : undefined}>
                  {formatDateTime(d.dueAt)}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Space>
  );
}
