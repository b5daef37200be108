import { EditOutlined } from '@ant-design/icons';
import type { ProcedureCase, ProcedureDetail } from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { Button, Card, Descriptions, List, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { useCan } from '../../session.ts';
import { formatDate } from '../../util.ts';

const money = (n: number) => `${n.toLocaleString('vi-VN')} đ`;

/** /thu-tuc/$id: one procedure version with its cases, channels, components and workflow. */
export default function ProcedureView() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const fail = useFail();
  const navigate = useNavigate();
  const { id } = useParams({ strict: false }) as { id: string };
  const q = useQuery({
    queryKey: ['procedure', id],
    queryFn: () => api.get<ProcedureDetail>(`/api/procedures/${id}`),
  });
  const publish = useMutation({
    mutationFn: (published: boolean) =>
      api.post<ProcedureDetail>(`/api/procedures/${id}/publish`, { published }),
    onSuccess: (d) => {
      qc.setQueryData(['procedure', id], d);
      void qc.invalidateQueries({ queryKey: ['procedures'] });
    },
    onError: fail,
  });
  const p = q.data;
  if (!p) return <Card loading={q.isLoading} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Typography.Text code>{p.code}</Typography.Text>
            {p.name}
            {p.interAgency && <Tag color="purple">{t('procedures.interAgency')}</Tag>}
          </Space>
        }
        extra={
          can('procedures.manage') ? (
            <Space>
              <Button
                icon={<EditOutlined />}
                onClick={() => navigate({ to: '/thu-tuc/$id/sua', params: { id } })}
              >
                {t('procedures.editor.edit')}
              </Button>
              {t('procedures.isPublished')}
              <Switch
                checked={p.published}
                loading={publish.isPending}
                onChange={(v) => publish.mutate(v)}
                aria-label={t('procedures.publishToggle')}
              />
            </Space>
          ) : p.published ? (
            <Tag color="green">{t('procedures.isPublished')}</Tag>
          ) : (
            <Tag>{t('procedures.notPublished')}</Tag>
          )
        }
      >
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t('procedures.sector')}>
            {p.sectorName ?? p.sectorCode ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('procedures.level')}>
            {t(`procedures.levels.${p.authorityLevel}`)} · {t(`procedures.onlineLevels.${p.onlineLevel}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('procedures.validity')}>
            {formatDate(p.validFrom)}
            {p.validTo ? ` – ${formatDate(p.validTo)}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('procedures.agencies')}>
            {p.agencies.map((a) => a.name).join('; ') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('procedures.applicants')} span={2}>
            {p.applicants.join('; ') || '—'}
          </Descriptions.Item>
          {p.conditions && (
            <Descriptions.Item label={t('procedures.conditions')} span={2}>
              {p.conditions}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('procedures.results')} span={2}>
            {p.results.map((r) => r.name).join('; ') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('procedures.legalBasis')} span={2}>
            <List
              size="small"
              dataSource={p.legalBasis}
              renderItem={(l) => (
                <List.Item>
                  {l.number ? <Typography.Text strong>{l.number}</Typography.Text> : null} {l.title}
                </List.Item>
              )}
            />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs items={p.cases.map((c) => ({ key: c.id, label: c.name, children: <CaseView c={c} /> }))} />
      </Card>
    </Space>
  );
}

function CaseView({ c }: { c: ProcedureCase }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {c.steps.length > 0 && (
        <ol>
          {c.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      )}
      <Typography.Title level={5}>{t('procedures.channels')}</Typography.Title>
      <Table
        rowKey="channel"
        size="small"
        pagination={false}
        dataSource={c.channels}
        columns={[
          {
            title: t('procedures.channel'),
            dataIndex: 'channel',
            render: (k: number) => t(`procedures.channelNames.${k}`),
          },
          {
            title: t('procedures.duration'),
            render: (_: unknown, ch: ProcedureCase['channels'][number]) =>
              `${ch.durationValue} ${t(`procedures.units.${ch.durationUnit}`)}`,
          },
          {
            title: t('procedures.fees'),
            render: (_: unknown, ch: ProcedureCase['channels'][number]) =>
              ch.fees.length === 0
                ? '—'
                : ch.fees.map((f) => (
                    <div key={f.name}>
                      {f.name}: {money(f.amount)}
                    </div>
                  )),
          },
        ]}
      />
      <Typography.Title level={5}>{t('procedures.components')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.components}
        columns={[
          { title: '#', dataIndex: 'ordinal', width: 40 },
          {
            title: t('procedures.componentName'),
            dataIndex: 'name',
            render: (n: string, k: ProcedureCase['components'][number]) => (
              <Space>
                {n}
                {!k.required && <Tag>{t('procedures.optional')}</Tag>}
                {k.formUrl && (
                  <a href={k.formUrl} target="_blank" rel="noreferrer">
                    {k.formName ?? t('procedures.form')}
                  </a>
                )}
              </Space>
            ),
          },
          { title: t('procedures.originals'), dataIndex: 'originals', width: 90 },
          { title: t('procedures.certified'), dataIndex: 'certified', width: 110 },
          { title: t('procedures.copies'), dataIndex: 'copies', width: 90 },
        ]}
      />
      <Typography.Title level={5}>
        {t('procedures.workflow')} ({t('procedures.totalHours', { hours: c.totalHours })})
        {c.interAgency && (
          <Tag color="purple" style={{ marginLeft: 8 }}>
            {t('procedures.interAgency')}
          </Tag>
        )}
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.workflow}
        columns={[
          { title: '#', dataIndex: 'ordinal', width: 40 },
          { title: t('procedures.stepName'), dataIndex: 'name' },
          {
            title: t('procedures.stepKind'),
            dataIndex: 'kind',
            render: (k: string) => t(`procedures.kinds.${k}`),
          },
          {
            title: t('procedures.stepAgency'),
            render: (_: unknown, s: ProcedureCase['workflow'][number]) =>
              s.agencyName ?? t('procedures.receivingAgency'),
          },
          {
            title: t('procedures.stepDepartment'),
            dataIndex: 'departmentName',
            render: (d: string | null) => d ?? '—',
          },
          { title: t('procedures.stepRole'), dataIndex: 'role', render: (r: string) => t(`roles.${r}`) },
          { title: t('procedures.stepHours'), dataIndex: 'durationHours', width: 90 },
        ]}
      />
    </Space>
  );
}
