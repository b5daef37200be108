import type { Me } from '@congvu/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { LanguageSwitch } from '../Shell.tsx';

interface Values {
  username: string;
  password: string;
  totp?: string;
}

export function SignIn() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const me = await api.post<Me>('/api/auth/login', {
        username: v.username,
        password: v.password,
        ...(needTotp && v.totp ? { totp: v.totp } : {}),
      });
      qc.clear();
      qc.setQueryData(['me'], me);
      await navigate({ to: '/' });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'AUTH_TOTP_REQUIRED') setNeedTotp(true);
      setError(e instanceof ApiError ? e.text : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#eef3f9' }}>
      <Card style={{ width: 380 }}>
        <div
          style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8 }}
        >
          <Typography.Title level={3} style={{ margin: 0, color: '#0b4f9c' }}>
            {t('app.name')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t('signIn.heading')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon role="alert" message={error} style={{ marginBottom: 12 }} />}
        <Form<Values> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            label={t('signIn.username')}
            name="username"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('signIn.password')}
            name="password"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needTotp && (
            <Form.Item
              label={t('signIn.totp')}
              name="totp"
              extra={t('signIn.totpHint')}
              rules={[{ pattern: /^\d{6}$/ }]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('signIn.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
