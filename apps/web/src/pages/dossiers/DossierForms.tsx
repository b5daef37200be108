import type { DossierFormKind, DossierView, SignedDossierForm } from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { useCan } from '../../session.ts';
import { formatDateTime } from '../../util.ts';
import { formUrl } from './data.ts';

const FORMS = ['receipt', 'supplement', 'refusal', 'apology', 'control'] as const;

/**
 * The dossier's printable forms; a counter or processing officer may have each one signed with
 * the agency's signature (seal password), and its signed copies are listed under it. The server
 * decides who may sign for which agency; this only offers the button.
 */
export function DossierForms({ d }: { d: DossierView }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const fail = useFail();
  const { message } = App.useApp();
  const [signing, setSigning] = useState<DossierFormKind | null>(null);
  const [password, setPassword] = useState('');
  const signed = useQuery({
    queryKey: ['dossier-signed-forms', d.id],
    queryFn: () => api.get<{ items: SignedDossierForm[] }>(`/api/dossiers/${d.id}/signed-forms`),
  });
  const sign = useMutation({
    mutationFn: (form: DossierFormKind) =>
      api.post<SignedDossierForm>(`/api/dossiers/${d.id}/forms/${form}/sign`, { signing: { password } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['dossier-signed-forms', d.id] });
      void qc.invalidateQueries({ queryKey: ['dossier', d.id] });
      void message.success(t('oneStop.formSigning.done'));
      setSigning(null);
      setPassword('');
    },
    onError: fail,
  });
  const maySign = can('dossiers.receive') || can('dossiers.process');
  const forms = FORMS.filter(
    (f) =>
      f === 'receipt' ||
      (f === 'supplement' && d.pauses.some((p) => p.kind === 'supplement')) ||
      (f === 'refusal' && (d.state === 'refused' || d.state === 'stopped')) ||
      (f === 'apology' && d.apologies.length > 0) ||
      (f === 'control' && d.steps.length > 0),
  );

  return (
    <Card size="small" title={t('oneStop.view.forms')}>
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        {forms.map((f) => (
          <div key={f} data-testid={`form-${f}`}>
            <Space wrap split={<span aria-hidden>·</span>}>
              <a href={formUrl(d.id, f)} target="_blank" rel="noreferrer">
                {t(`oneStop.form.${f}`)}
              </a>
              {maySign && (
                <Button size="small" type="link" style={{ padding: 0 }} onClick={() => setSigning(f)}>
                  {t('oneStop.formSigning.sign')}
                </Button>
              )}
            </Space>
            {(signed.data?.items ?? [])
              .filter((s) => s.form === f)
              .map((s) => (
                <div key={s.id} style={{ paddingLeft: 16 }}>
                  <a
                    href={`/api/dossiers/${d.id}/signed-forms/${s.id}`}
                    target="_blank"
                    rel="noreferrer"
                    data-testid="signed-form"
                  >
                    {t('oneStop.formSigning.signed')}
                  </a>{' '}
                  <Typography.Text type="secondary">
                    {formatDateTime(s.signedAt)} · {s.signedByName}
                  </Typography.Text>
                </div>
              ))}
          </div>
        ))}
      </Space>
      <Modal
        open={signing !== null}
        title={signing ? `${t('oneStop.formSigning.title')}: ${t(`oneStop.form.${signing}`)}` : ''}
        okText={t('oneStop.formSigning.sign')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !password }}
        confirmLoading={sign.isPending}
        onOk={() => signing && sign.mutate(signing)}
        onCancel={() => {
          setSigning(null);
          setPassword('');
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('oneStop.formSigning.note')}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item
            label={t('oneStop.formSigning.password')}
            htmlFor="seal-password"
            extra={t('oneStop.formSigning.passwordHint')}
          >
            <Input.Password
              id="seal-password"
              autoFocus
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="seal-password"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
