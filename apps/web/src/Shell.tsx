import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  ClusterOutlined,
  DownOutlined,
  FileTextOutlined,
  FolderOpenOutlined,
  HomeOutlined,
  KeyOutlined,
  ProfileOutlined,
  SolutionOutlined,
  SwapOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { WORK_QUEUES, type WorkQueue } from '@congvu/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import {
  Alert,
  App,
  Badge,
  Button,
  Dropdown,
  Layout,
  Menu,
  type MenuProps,
  Segmented,
  Space,
  Spin,
  Typography,
} from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTING_FOR_KEY, api } from './api.ts';
import { NotificationBell } from './components/NotificationBell.tsx';
import { setLanguage } from './i18n/index.ts';
import { useWorklistCounts } from './pages/documents/data.ts';
import { useCan, useMe } from './session.ts';

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented
      size="small"
      value={i18n.language === 'en' ? 'en' : 'vi'}
      onChange={(v) => setLanguage(v as 'vi' | 'en')}
      options={[
        { label: t('lang.vi'), value: 'vi' },
        { label: t('lang.en'), value: 'en' },
      ]}
    />
  );
}

export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = App.useApp();

  const counts = useWorklistCounts();
  const queueItem = (q: WorkQueue) => ({
    key: `queue:${q}`,
    label: (
      <Space>
        {t(`documents.queues.${q}`)}
        <Badge
          count={counts.data?.[q] ?? 0}
          size="small"
          color={q === 'overdue' ? 'red' : 'blue'}
          data-testid={`nav-count-${q}`}
        />
      </Space>
    ),
  });
  const items: MenuProps['items'] = [
    { key: '/', icon: <HomeOutlined />, label: t('nav.home') },
    {
      key: 'documents',
      icon: <FileTextOutlined />,
      label: t('documents.nav.group'),
      children: [
        ...WORK_QUEUES.filter(
          (q) =>
            (counts.data?.[q] ?? 0) > 0 || ['to_handle', 'in_progress', 'overdue', 'to_review'].includes(q),
        ).map(queueItem),
        { key: '/van-ban', label: t('documents.nav.search') },
        ...(can('documents.register')
          ? [{ key: '/van-ban/den/vao-so', label: t('documents.nav.registerIncoming') }]
          : []),
        { key: '/van-ban/di/soan-thao', label: t('documents.nav.draft') },
        { key: '/van-ban/so', label: t('documents.nav.registers') },
      ],
    },
    ...(can('org.read')
      ? [
          {
            key: 'org',
            icon: <ApartmentOutlined />,
            label: t('nav.org'),
            children: [
              { key: '/to-chuc/co-quan', label: t('nav.agencies') },
              { key: '/to-chuc/phong-ban', label: t('nav.departments') },
              { key: '/to-chuc/can-bo', label: t('nav.officials') },
              { key: '/to-chuc/chuc-vu', label: t('nav.positions') },
              { key: '/to-chuc/uy-quyen', label: t('nav.delegations') },
            ],
          },
        ]
      : [{ key: '/to-chuc/uy-quyen', icon: <ApartmentOutlined />, label: t('nav.delegations') }]),
    ...(can('dossiers.read')
      ? [
          {
            key: 'oneStop',
            icon: <SolutionOutlined />,
            label: t('oneStop.nav.group'),
            children: [
              ...(can('dossiers.receive')
                ? [{ key: '/mot-cua/tiep-nhan', label: t('oneStop.nav.reception') }]
                : []),
              { key: '/mot-cua/ho-so', label: t('oneStop.nav.mine') },
              ...(can('dossiers.supervise')
                ? [
                    { key: '/mot-cua/qua-han', label: t('oneStop.nav.overdue') },
                    { key: '/mot-cua/giam-sat', label: t('supervision.nav') },
                    { key: '/mot-cua/chi-so', label: t('serviceIndex.nav') },
                  ]
                : []),
            ],
          },
        ]
      : []),
    ...(can('workfiles.read')
      ? [{ key: '/ho-so-cong-viec', icon: <FolderOpenOutlined />, label: t('workfiles.nav') }]
      : []),
    { key: '/thu-tuc', icon: <ProfileOutlined />, label: t('procedures.nav') },
    ...(can('audit.read') ? [{ key: '/nhat-ky', icon: <AuditOutlined />, label: t('nav.audit') }] : []),
    { key: '/lich', icon: <CalendarOutlined />, label: t('nav.calendar') },
    ...(can('tokens.manage') ? [{ key: '/ma-truy-cap', icon: <KeyOutlined />, label: t('nav.tokens') }] : []),
    ...(can('exchange.manage')
      ? [{ key: '/lien-thong', icon: <SwapOutlined />, label: t('exchange.nav') }]
      : []),
    ...(can('hub.manage')
      ? [{ key: '/truc-lien-thong', icon: <ClusterOutlined />, label: t('hubAdmin.nav') }]
      : []),
  ];

  const signOut = async (everywhere: boolean) => {
    try {
      await api.post(everywhere ? '/api/auth/logout-all' : '/api/auth/logout');
    } catch (e) {
      message.error((e as Error).message);
    }
    sessionStorage.removeItem(ACTING_FOR_KEY);
    qc.clear();
    await navigate({ to: '/dang-nhap' });
  };

  const userMenu: MenuProps['items'] = [
    { key: 'profile', label: t('nav.profile'), onClick: () => navigate({ to: '/ho-so' }) },
    { type: 'divider' },
    { key: 'logout', label: t('nav.logout'), onClick: () => signOut(false) },
    { key: 'logout-all', label: t('nav.logoutAll'), onClick: () => signOut(true) },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#0b4f9c', paddingInline: 16 }}
      >
        <Typography.Text strong style={{ color: '#fff', fontSize: 18 }}>
          {t('app.name')}
        </Typography.Text>
        <Typography.Text style={{ color: '#dbe7f5' }}>{t('app.title')}</Typography.Text>
        <div style={{ flex: 1 }} />
        <LanguageSwitch />
        <NotificationBell />
        <Dropdown menu={{ items: userMenu }} trigger={['click']}>
          <Button type="text" style={{ color: '#fff' }}>
            <Space>
              <UserOutlined />
              {me.fullName}
              <DownOutlined />
            </Space>
          </Button>
        </Dropdown>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={230} theme="light" breakpoint="lg" collapsedWidth={0}>
          <Menu
            mode="inline"
            selectedKeys={[location.pathname]}
            defaultOpenKeys={['documents', 'oneStop', 'org']}
            items={items}
            onClick={(e) =>
              e.key.startsWith('queue:')
                ? navigate({ to: '/van-ban', search: { queue: e.key.slice(6) } as never })
                : navigate({ to: e.key })
            }
            style={{ height: '100%' }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 16 }}>
          {me.actingFor && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('home.actingFor', { name: me.actingFor.fullName })}
              action={
                <Button
                  size="small"
                  onClick={() => {
                    sessionStorage.removeItem(ACTING_FOR_KEY);
                    void qc.invalidateQueries();
                  }}
                >
                  {t('home.stopActing')}
                </Button>
              }
            />
          )}
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
