import type { DossierListItem } from '@congvu/contracts';
import { Link } from '@tanstack/react-router';
import { Card, Col, Row, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../util.ts';
import { useOverdue } from './data.ts';

/** The supervisor's overdue lists: dossiers past due, and open steps past due by step, officer and agency. */
export default function Overdue() {
  const { t } = useTranslation();
  const report = useOverdue();
  const r = report.data;
  const count = { title: t('oneStop.field.count'), dataIndex: 'count', width: 90 };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('oneStop.overdue.heading')}</Typography.Title>
      <Row gutter={12}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('oneStop.overdue.byAgency')}>
            <Table
              size="small"
              pagination={false}
              rowKey="agencyId"
              dataSource={r?.byAgency ?? []}
              columns={[{ title: t('oneStop.field.agency'), dataIndex: 'agencyName' }, count]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('oneStop.overdue.byStep')}>
            <Table
              size="small"
              pagination={false}
              rowKey="stepName"
              dataSource={r?.byStep ?? []}
              columns={[{ title: t('oneStop.field.step'), dataIndex: 'stepName' }, count]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('oneStop.overdue.byOfficial')}>
            <Table
              size="small"
              pagination={false}
              rowKey={(o) => o.officialId ?? '-'}
              dataSource={r?.byOfficial ?? []}
              columns={[
                { title: t('oneStop.field.officer'), render: (_, o) => o.officialName ?? '—' },
                count,
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Table<DossierListItem>
        size="small"
        rowKey="id"
        loading={report.isFetching}
        dataSource={r?.dossiers ?? []}
        columns={[
          {
            title: t('oneStop.field.code'),
            render: (_, d) => (
              <Link to="/mot-cua/ho-so/$id" params={{ id: d.id }}>
                {d.code}
              </Link>
            ),
          },
          { title: t('oneStop.field.applicant'), dataIndex: 'applicantName' },
          { title: t('oneStop.field.procedure'), dataIndex: 'procedureName', ellipsis: true },
          { title: t('oneStop.field.currentStep'), render: (_, d) => d.currentStepName ?? '—' },
          { title: t('oneStop.field.dueAt'), render: (_, d) => (d.dueAt ? formatDateTime(d.dueAt) : '—') },
        ]}
      />
    </Space>
  );
}
