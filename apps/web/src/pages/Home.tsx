import type { Delegation } from '@congvu/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Descriptions, List, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ACTING_FOR_KEY, api } from '../api.ts';
import { useMe } from '../session.ts';

export default function Home() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const delegations = useQuery({
    queryKey: ['delegations', 'mine'],
    queryFn: () => api.get<{ items: Delegation[] }>('/api/org/delegations'),
    enabled: !me.actingFor,
  });
  const now = Date.now();
  const toMe = (delegations.data?.items ?? []).filter(
    (d) =>
      d.toOfficialId === me.id && !d.revokedAt && Date.parse(d.startsAt) <= now && Date.parse(d.endsAt) > now,
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('home.welcome', { name: me.fullName })}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
      <Card>
        <Descriptions column={1}>
          <Descriptions.Item label={t('home.roles')}>
            {me.roles.length
              ? me.roles.map((r) => <Tag key={`${r.role}-${r.agencyId}`}>{t(`roles.${r.role}`)}</Tag>)
              : t('common.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.units')}>
            <List
              size="small"
              dataSource={me.memberships}
              locale={{ emptyText: t('common.none') }}
              renderItem={(m) => (
                <List.Item>
                  {m.positionName ? `${m.positionName}, ` : ''}
                  {m.departmentName} — {m.agencyName}
                </List.Item>
              )}
            />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {toMe.length > 0 && (
        <Card>
          <Space>
            {t('home.actFor')}
            <Select
              style={{ minWidth: 260 }}
              options={toMe.map((d) => ({ value: d.fromOfficialId, label: d.fromName }))}
              onChange={(id: string) => {
                sessionStorage.setItem(ACTING_FOR_KEY, id);
                void qc.invalidateQueries();
              }}
            />
          </Space>
        </Card>
      )}
    </Space>
  );
}
