import { UploadOutlined } from '@ant-design/icons';
import type { Assignment, DocumentDetail } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { foldFilter, formatDateTime } from '../../util.ts';
import { useDepartments } from '../org/data.ts';
import { uploadFile, useAgencyOfficials } from './data.ts';

/** A document's blob (draft version, opinion file), served to those who may read the document. */
export const blobUrl = (documentId: string, sha256: string) => `/api/documents/${documentId}/blobs/${sha256}`;

/** The approval chain of a draft: rounds, steps (parallel groups), decisions and the signature. */
export function ApprovalsCard({ d }: { d: DocumentDetail }) {
  const { t } = useTranslation();
  if (d.approvals.length === 0) return null;
  return (
    <Card title={t('documents.view.approvals')} size="small">
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={d.approvals}
        columns={[
          { title: t('documents.handling.round'), dataIndex: 'round', width: 70 },
          {
            title: t('documents.handling.stepCol'),
            width: 110,
            render: (_, a) => (
              <>
                {a.step}
                {a.parallel && <Tag style={{ marginLeft: 6 }}>{t('documents.handling.parallel')}</Tag>}
              </>
            ),
          },
          { title: t('documents.handling.reviewer'), dataIndex: 'reviewerName' },
          {
            title: t('documents.handling.decision'),
            render: (_, a) =>
              a.decision ? (
                <Tag
                  color={a.decision === 'approved' ? 'green' : a.decision === 'returned' ? 'volcano' : 'blue'}
                >
                  {t(`documents.handling.decisions.${a.decision}`)}
                </Tag>
              ) : d.pendingReviewerIds.includes(a.reviewerId) ? (
                <Tag color="processing">{t('documents.handling.turn')}</Tag>
              ) : (
                '—'
              ),
          },
          { title: t('documents.view.comment'), dataIndex: 'comment', render: (c) => c ?? '' },
          {
            title: t('documents.handling.signature'),
            width: 120,
            render: (_, a) =>
              a.signature ? (
                <Tag color={a.signature === 'signed' ? 'green' : 'default'}>
                  {a.signature === 'signed' ? t('documents.handling.signed') : t('documents.view.unsigned')}
                </Tag>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

/** Every version of a draft's main file; the drafter or the reviewer whose turn it is adds one. */
export function VersionsCard({ d, canAdd }: { d: DocumentDetail; canAdd: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fail = useFail();
  const [busy, setBusy] = useState(false);
  if (d.direction !== 'outgoing') return null;
  return (
    <Card
      title={t('documents.handling.versions')}
      size="small"
      extra={
        canAdd && (
          <Upload
            accept=".pdf,.docx"
            showUploadList={false}
            customRequest={async (o) => {
              setBusy(true);
              try {
                const f = await uploadFile(o.file as File);
                await api.post(`/api/documents/${d.id}/versions`, { sha256: f.sha256, name: f.name });
                await qc.invalidateQueries({ queryKey: ['document', d.id] });
                o.onSuccess?.(f);
              } catch (e) {
                fail(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={busy}>
              {t('documents.handling.addVersion')}
            </Button>
          </Upload>
        )
      }
    >
      {d.versions.length === 0 ? (
        <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
      ) : (
        <Space direction="vertical" size={2}>
          {d.versions.map((v) => (
            <Space key={v.version}>
              <Tag color={v.current ? 'blue' : 'default'}>v{v.version}</Tag>
              <Typography.Link href={blobUrl(d.id, v.sha256)} target="_blank">
                {v.name}
              </Typography.Link>
              <Typography.Text type="secondary">
                {v.uploadedByName} · {formatDateTime(v.uploadedAt)}
              </Typography.Text>
              {v.note && <Typography.Text italic>{v.note}</Typography.Text>}
            </Space>
          ))}
        </Space>
      )}
    </Card>
  );
}

/** Opinions (ý kiến xử lý) recorded on one assignment, with their files. */
export function OpinionsOf({ d, a }: { d: DocumentDetail; a: Assignment }) {
  const mine = d.opinions.filter((o) => o.assignmentId === a.id);
  const forwards = d.assignmentForwards.filter((f) => f.assignmentId === a.id);
  if (!mine.length && !forwards.length) return null;
  return (
    <Space direction="vertical" size={0} style={{ marginLeft: 8 }}>
      {forwards.map((f) => (
        <Typography.Text key={f.id} type="secondary">
          ↪ {f.forwardedByName}: {f.fromDepartmentName ?? f.fromOfficialName} →{' '}
          {f.toDepartmentName ?? f.toOfficialName} ({f.note})
        </Typography.Text>
      ))}
      {mine.map((o) => (
        <Typography.Text key={o.id}>
          💬 <b>{o.authorName}</b> ({formatDateTime(o.createdAt)}): {o.content}{' '}
          {o.files.map((f) => (
            <Typography.Link
              key={f.position}
              href={blobUrl(d.id, f.sha256)}
              target="_blank"
              style={{ marginLeft: 4 }}
            >
              {f.name}
            </Typography.Link>
          ))}
        </Typography.Text>
      ))}
    </Space>
  );
}

/** Records an opinion on an assignment, with an optional file. */
export function OpinionDialog(props: {
  d: DocumentDetail;
  assignmentId: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ content: string }>();
  const [file, setFile] = useState<{ sha256: string; name: string } | null>(null);
  const qc = useQueryClient();
  const fail = useFail();
  const save = useMutation({
    mutationFn: (v: { content: string }) =>
      api.post(`/api/documents/${props.d.id}/assignments/${props.assignmentId}/opinions`, {
        content: v.content,
        files: file ? [file] : [],
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['document', props.d.id] });
      setFile(null);
      props.onClose();
    },
    onError: fail,
  });
  return (
    <Modal
      open={props.assignmentId !== null}
      title={t('documents.handling.opinion')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="content"
          label={t('documents.handling.opinion')}
          rules={[{ required: true, message: t('error.required') }]}
        >
          <Input.TextArea rows={4} />
        </Form.Item>
        <Upload
          showUploadList={false}
          customRequest={async (o) => {
            try {
              const f = await uploadFile(o.file as File);
              setFile({ sha256: f.sha256, name: f.name });
              o.onSuccess?.(f);
            } catch (e) {
              fail(e);
            }
          }}
        >
          <Button icon={<UploadOutlined />}>{t('documents.field.files')}</Button>
        </Upload>
        {file && <Typography.Text style={{ marginLeft: 8 }}>{file.name}</Typography.Text>}
      </Form>
    </Modal>
  );
}

/** Hands an assignment, or a review, to another official (or department) of the agency. */
export function ForwardDialog(props: {
  d: DocumentDetail;
  target: { kind: 'assignment'; assignmentId: string } | { kind: 'review' } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ to: string; note: string }>();
  const qc = useQueryClient();
  const fail = useFail();
  const departments = useDepartments(props.d.agencyId);
  const officials = useAgencyOfficials(props.d.agencyId);
  const review = props.target?.kind === 'review';
  const save = useMutation({
    mutationFn: (v: { to: string; note: string }) => {
      if (!props.target) return Promise.resolve();
      if (props.target.kind === 'review')
        return api.post(`/api/documents/${props.d.id}/review/forward`, {
          toOfficialId: v.to.slice(2),
          comment: v.note,
        });
      return api.post(`/api/documents/${props.d.id}/assignments/${props.target.assignmentId}/forward`, {
        ...(v.to.startsWith('d:') ? { departmentId: v.to.slice(2) } : { officialId: v.to.slice(2) }),
        note: v.note,
      });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['document', props.d.id] });
      await qc.invalidateQueries({ queryKey: ['worklist-counts'] });
      props.onClose();
    },
    onError: fail,
  });
  const options = [
    ...(review
      ? []
      : [
          {
            label: t('documents.assign.departments'),
            options: (departments.data ?? []).map((x) => ({ value: `d:${x.id}`, label: x.name })),
          },
        ]),
    {
      label: t('documents.assign.officials'),
      options: (officials.data ?? []).map((o) => ({
        value: `o:${o.id}`,
        label: `${o.fullName}${o.position ? ` — ${o.position}` : ''}`,
      })),
    },
  ];
  return (
    <Modal
      open={props.target !== null}
      title={t('documents.handling.forward')}
      okText={t('documents.handling.forward')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="to"
          label={t('documents.handling.to')}
          rules={[{ required: true, message: t('error.required') }]}
        >
          <Select showSearch filterOption={foldFilter} options={options} />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('documents.view.reason')}
          rules={[{ required: true, min: 3, message: t('error.required') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Recall (thu hồi) or update (cập nhật) an issued document, with the reason. */
export function useValidityActions(d: DocumentDetail) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const fail = useFail();
  const [form] = Form.useForm<{ reason: string; subject?: string }>();
  const run = (kind: 'recall' | 'update') =>
    modal.confirm({
      title: t(`documents.handling.${kind}`),
      icon: null,
      width: 600,
      okText: t(`documents.handling.${kind}`),
      cancelText: t('common.cancel'),
      content: (
        <Form form={form} layout="vertical" preserve={false} initialValues={{ subject: d.subject }}>
          <Form.Item name="reason" label={t('documents.view.reason')} rules={[{ required: true, min: 3 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          {kind === 'update' && (
            <Form.Item
              name="subject"
              label={t('documents.field.subject')}
              rules={[{ required: true, min: 3 }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
        </Form>
      ),
      onOk: async () => {
        const v = await form.validateFields();
        try {
          await api.post(`/api/documents/${d.id}/${kind}`, {
            reason: v.reason,
            ...(kind === 'update' && { subject: v.subject }),
          });
          void message.success(t('common.saved'));
          await qc.invalidateQueries({ queryKey: ['document', d.id] });
        } catch (e) {
          fail(e);
          throw e;
        }
      },
    });
  return run;
}

export function ValidityTag({ d }: { d: DocumentDetail }) {
  const { t } = useTranslation();
  if (d.validity.state === 'valid') return null;
  return (
    <Tag color="red">
      {t(`documents.handling.validity.${d.validity.state}`)}
      {d.validity.replacedBy
        ? ` → ${[d.validity.replacedBy.number, d.validity.replacedBy.notation].filter(Boolean).join('/')}`
        : ''}
    </Tag>
  );
}

/** The approval chain as two fields: an optional group consulted in parallel, then reviewers in order. */
export function chainSteps(v: { parallel?: string[]; reviewerIds: string[] }) {
  const group = (v.parallel ?? []).filter((id) => !v.reviewerIds.includes(id));
  return [
    ...(group.length >= 2 ? [{ parallel: group }] : group.length === 1 ? [{ reviewerId: group[0]! }] : []),
    ...v.reviewerIds.map((reviewerId) => ({ reviewerId })),
  ];
}

export function ChainFields({ agencyId, exclude }: { agencyId: string | undefined; exclude: string }) {
  const { t } = useTranslation();
  const officials = useAgencyOfficials(agencyId);
  const options = (officials.data ?? [])
    .filter((o) => o.id !== exclude)
    .map((o) => ({ value: o.id, label: `${o.fullName}${o.position ? ` — ${o.position}` : ''}` }));
  return (
    <>
      <Col span={24}>
        <Form.Item name="parallel" label={t('documents.handling.parallelGroup')}>
          <Select mode="multiple" allowClear filterOption={foldFilter} options={options} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item
          name="reviewerIds"
          label={t('documents.field.reviewers')}
          rules={[{ required: true, message: t('error.required') }]}
        >
          <Select mode="multiple" filterOption={foldFilter} options={options} />
        </Form.Item>
      </Col>
    </>
  );
}

/** Trình lại: a returned draft goes to a new round of reviewers. */
export function ResubmitDialog(props: {
  d: DocumentDetail;
  open: boolean;
  exclude: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ parallel?: string[]; reviewerIds: string[] }>();
  const qc = useQueryClient();
  const fail = useFail();
  const save = useMutation({
    mutationFn: (v: { parallel?: string[]; reviewerIds: string[] }) =>
      api.post(`/api/documents/${props.d.id}/submit`, { steps: chainSteps(v) }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['document', props.d.id] });
      await qc.invalidateQueries({ queryKey: ['worklist-counts'] });
      props.onClose();
    },
    onError: fail,
  });
  return (
    <Modal
      open={props.open}
      title={t('documents.handling.resubmit')}
      okText={t('documents.handling.resubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <ChainFields agencyId={props.d.agencyId} exclude={props.exclude} />
      </Form>
    </Modal>
  );
}

/** The signatures found in the document's PDFs on arrival, as the verifier reported them. */
export function SignaturesCard({ d }: { d: DocumentDetail }) {
  const { t } = useTranslation();
  if (d.signatureChecks.length === 0) return null;
  return (
    <Card title={t('documents.handling.signatures')} size="small">
      <Space direction="vertical" size="small" style={{ width: '100%' }}>
        {d.signatureChecks.map((c) => (
          <div key={c.sha256} data-testid={`signature-check-${c.name}`}>
            <Space wrap>
              <Typography.Text strong>{c.name}</Typography.Text>
              {c.signatureCount === 0 ? (
                <Tag>{t('documents.handling.unsignedFile')}</Tag>
              ) : (
                <Tag color={c.valid && c.trusted ? 'green' : c.valid ? 'gold' : 'red'}>
                  {c.valid && c.trusted
                    ? t('documents.handling.validTrusted')
                    : c.valid
                      ? t('documents.handling.validUntrusted')
                      : t('documents.handling.invalid')}
                </Tag>
              )}
              <Typography.Text type="secondary">{formatDateTime(c.verifiedAt)}</Typography.Text>
            </Space>
            {c.signers.map((s) => (
              <div key={`${s.name}-${s.signingTime}`} data-testid="signature-signer">
                ✍ {s.name ?? '—'} {s.signingTime ? `(${formatDateTime(s.signingTime)})` : ''}{' '}
                <Tag color={s.valid && s.trusted ? 'green' : s.valid ? 'gold' : 'red'}>
                  {s.valid && s.trusted
                    ? t('documents.handling.validTrusted')
                    : s.valid
                      ? t('documents.handling.validUntrusted')
                      : t('documents.handling.invalid')}
                </Tag>
              </div>
            ))}
            {c.signatureCount > 0 && (
              <Typography.Paragraph
                type="secondary"
                style={{ whiteSpace: 'pre-wrap', fontSize: 12, marginTop: 4 }}
              >
                {c.text}
              </Typography.Paragraph>
            )}
          </div>
        ))}
      </Space>
    </Card>
  );
}
