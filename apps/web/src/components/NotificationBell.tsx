import { BellOutlined } from '@ant-design/icons';
import type { Notification, NotificationCount, NotificationPage } from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { App, Badge, Button, Empty, List, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { formatDateTime } from '../util.ts';

/** How often the unread count is asked for. */
const POLL_MS = 30_000;
const LATEST = 10;

/** The bell in the header: unread count, the latest notifications, mark read and open. */
export function NotificationBell() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);

  const count = useQuery({
    queryKey: ['notifications', 'count'],
    queryFn: () => api.get<NotificationCount>('/api/notifications/count'),
    refetchInterval: POLL_MS,
  });
  const unread = count.data?.unread ?? 0;
  const latest = useQuery({
    // The count in the key: a new notification refetches the open list.
    queryKey: ['notifications', 'latest', unread],
    queryFn: () => api.get<NotificationPage>(`/api/notifications?pageSize=${LATEST}`),
    enabled: open,
  });

  const refresh = () => qc.invalidateQueries({ queryKey: ['notifications'] });
  const fail = (e: unknown) => message.error(e instanceof ApiError ? e.text : (e as Error).message);
  const readOne = useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${id}/read`),
    onSuccess: refresh,
    onError: fail,
  });
  const readAll = useMutation({
    mutationFn: () => api.post('/api/notifications/read-all'),
    onSuccess: refresh,
    onError: fail,
  });

  const openItem = (n: Notification) => {
    setOpen(false);
    if (!n.readAt) readOne.mutate(n.id);
    if (n.link) void navigate({ to: n.link });
  };

  const content = (
    <div style={{ width: 380, maxHeight: 460, overflowY: 'auto' }}>
      {latest.isLoading ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : (
        <List
          size="small"
          dataSource={latest.data?.items ?? []}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />,
          }}
          renderItem={(n) => (
            <List.Item
              onClick={() => openItem(n)}
              style={{ cursor: 'pointer', background: n.readAt ? undefined : '#f0f6ff', paddingInline: 8 }}
            >
              <List.Item.Meta
                title={<Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>}
                description={
                  <>
                    <Typography.Paragraph ellipsis={{ rows: 3 }} style={{ marginBottom: 2 }}>
                      {n.body}
                    </Typography.Paragraph>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(n.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span>{t('notifications.title')}</span>
          <Button
            type="link"
            size="small"
            disabled={unread === 0}
            loading={readAll.isPending}
            onClick={() => readAll.mutate()}
          >
            {t('notifications.markAllRead')}
          </Button>
        </div>
      }
      content={content}
    >
      <Button
        type="text"
        aria-label={t('notifications.bell', { count: unread })}
        style={{ color: '#fff' }}
        icon={
          <Badge count={unread} size="small" overflowCount={99}>
            <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
