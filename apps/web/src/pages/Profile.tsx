import { NewPassword } from '@congvu/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { useFail } from '../components/FormModal.tsx';
import { meQuery } from '../session.ts';
import { zodRule } from './rules.ts';

export default function Profile() {
  const { t } = useTranslation();
  const { data: me } = useQuery(meQuery);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [pwForm] = Form.useForm();
  const fail = useFail();
  if (!me) return null;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 720 }}>
      <Typography.Title level={3}>{t('profile.heading')}</Typography.Title>
      <Card>
        <Descriptions column={1}>
          <Descriptions.Item label={t('officials.fullName')}>{me.fullName}</Descriptions.Item>
          <Descriptions.Item label={t('officials.username')}>{me.username}</Descriptions.Item>
          <Descriptions.Item label={t('profile.email')}>{me.email ?? t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('home.roles')}>
            {me.roles.map((r) => (
              <Tag key={`${r.role}-${r.agencyId}`}>{t(`roles.${r.role}`)}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.units')}>
            {me.memberships.map((m) => `${m.departmentName} — ${m.agencyName}`).join('; ') ||
              t('common.none')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('profile.changePassword')}>
        <Form
          form={pwForm}
          layout="vertical"
          onFinish={async (v: { currentPassword: string; newPassword: string }) => {
            try {
              await api.post('/api/auth/password', v);
              message.success(t('profile.passwordChanged'));
              pwForm.resetFields();
            } catch (e) {
              fail(e);
            }
          }}
        >
          <Form.Item label={t('profile.currentPassword')} name="currentPassword" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item label={t('profile.newPassword')} name="newPassword" rules={[zodRule(NewPassword)]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
      <Card
        title={t('profile.totp')}
        extra={
          <Tag color={me.totpEnabled ? 'green' : 'default'}>
            {me.totpEnabled ? t('profile.totpOn') : t('profile.totpOff')}
          </Tag>
        }
      >
        {!me.totpEnabled && !setup && (
          <Button
            onClick={async () => {
              try {
                setSetup(await api.post('/api/auth/totp/setup'));
              } catch (e) {
                fail(e);
              }
            }}
          >
            {t('profile.totpSetup')}
          </Button>
        )}
        {!me.totpEnabled && setup && (
          <Form
            layout="vertical"
            onFinish={async (v: { code: string }) => {
              try {
                await api.post('/api/auth/totp/enable', v);
                setSetup(null);
                await qc.invalidateQueries({ queryKey: ['me'] });
              } catch (e) {
                fail(e);
              }
            }}
          >
            <Alert
              type="info"
              message={t('profile.totpSecret')}
              description={
                <>
                  <Typography.Text code copyable={{ text: setup.secret }}>
                    {setup.secret.match(/.{1,4}/g)?.join(' ')}
                  </Typography.Text>
                  <br />
                  <Typography.Text type="secondary" copyable style={{ wordBreak: 'break-all' }}>
                    {setup.otpauthUrl}
                  </Typography.Text>
                </>
              }
              style={{ marginBottom: 12 }}
            />
            <Form.Item
              label={t('profile.totpCode')}
              name="code"
              rules={[{ required: true, pattern: /^\d{6}$/ }]}
            >
              <Input inputMode="numeric" maxLength={6} style={{ width: 160 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('profile.totpConfirm')}
            </Button>
          </Form>
        )}
        {me.totpEnabled && (
          <Form
            layout="inline"
            onFinish={async (v: { password: string }) => {
              try {
                await api.post('/api/auth/totp/disable', v);
                await qc.invalidateQueries({ queryKey: ['me'] });
              } catch (e) {
                fail(e);
              }
            }}
          >
            <Form.Item label={t('profile.currentPassword')} name="password" rules={[{ required: true }]}>
              <Input.Password />
            </Form.Item>
            <Button danger htmlType="submit">
              {t('profile.totpDisable')}
            </Button>
          </Form>
        )}
      </Card>
    </Space>
  );
}
