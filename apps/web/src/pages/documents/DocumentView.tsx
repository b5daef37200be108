import type { Assignment, DocumentDetail, Register } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Tree,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { useMe } from '../../session.ts';
import { formatDate, formatDateTime } from '../../util.ts';
import { AssignDialog } from './AssignDialog.tsx';
import { StatusTag, UrgencyTag } from './Documents.tsx';
import { documentFileUrl, numberNotation, useDocument, useExchangeTimeline, useRegisters } from './data.ts';
import {
  ApprovalsCard,
  ForwardDialog,
  OpinionDialog,
  OpinionsOf,
  ResubmitDialog,
  SignaturesCard,
  useValidityActions,
  ValidityTag,
  VersionsCard,
} from './Handling.tsx';

type Me = ReturnType<typeof useMe>;

const hasRole = (me: Me, role: string, agencyId: string) =>
  me.roles.some((r) => r.role === role && (r.agencyId === null || r.agencyId === agencyId));

function isMine(me: Me, a: Assignment): boolean {
  return (
    a.assigneeOfficialId === me.id ||
    (a.assigneeDepartmentId !== null && me.memberships.some((m) => m.departmentId === a.assigneeDepartmentId))
  );
}

/** Asks for one text (result, reason, comment) and posts it. */
function useTextAction() {
  const [form] = Form.useForm<{ text: string }>();
  const { modal } = App.useApp();
  const { t } = useTranslation();
  return (title: string, label: string, required: boolean, run: (text: string) => Promise<unknown>) =>
    modal.confirm({
      title,
      icon: null,
      width: 560,
      okText: title,
      cancelText: t('common.cancel'),
      content: (
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="text" label={label} rules={[{ required, min: required ? 3 : 0 }]}>
            <Input.TextArea rows={3} autoFocus />
          </Form.Item>
        </Form>
      ),
      onOk: async () => {
        const v = await form.validateFields();
        await run(v.text ?? '');
        form.resetFields();
      },
    });
}

export default function DocumentView() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const doc = useDocument(id);
  const me = useMe();
  if (doc.isLoading) return <Spin />;
  if (!doc.data) return <Empty description={(doc.error as Error | null)?.message ?? t('common.none')} />;
  return <DocumentPage d={doc.data} me={me} key={id} />;
}

function DocumentPage({ d, me }: { d: DocumentDetail; me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fail = useFail();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const ask = useTextAction();
  const registers = useRegisters();
  const [assign, setAssign] = useState<{ parentId?: string } | null>(null);
  const [registerFor, setRegisterFor] = useState<'issue' | 'register' | null>(null);
  const [forward, setForward] = useState<
    { kind: 'assignment'; assignmentId: string } | { kind: 'review' } | null
  >(null);
  const [opinionFor, setOpinionFor] = useState<string | null>(null);
  const [resubmit, setResubmit] = useState(false);
  const [signFor, setSignFor] = useState<'personal' | null>(null);
  const validity = useValidityActions(d);
  const [preview, setPreview] = useState<number | null>(
    d.files.find((f) => f.name.toLowerCase().endsWith('.pdf'))?.position ?? null,
  );

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['document', d.id] });
    await qc.invalidateQueries({ queryKey: ['worklist-counts'] });
    await qc.invalidateQueries({ queryKey: ['documents'] });
  };
  const act = useMutation({
    mutationFn: (p: { url: string; body?: unknown }) => api.post(p.url, p.body ?? {}),
    onSuccess: refresh,
    onError: fail,
  });
  const post = (url: string, body?: unknown) => act.mutateAsync({ url, body });

  const isClerk = hasRole(me, 'clerk', d.agencyId);
  const isLeader = hasRole(me, 'leader', d.agencyId);
  const actions: ReactNode[] = [];
  // A copy its issuer recalled or replaced is neither registered nor returned.
  const receivedValid = d.direction === 'incoming' && d.status === 'received' && d.validity.state === 'valid';
  if (receivedValid && isClerk)
    actions.push(
      <Button key="reg" type="primary" onClick={() => setRegisterFor('register')}>
        {t('documents.view.registerReceived')}
      </Button>,
    );
  // Trả lại (từ chối tiếp nhận): an electronic document goes back to its sender with the reason (02).
  if (receivedValid && d.channel === 'electronic' && isClerk)
    actions.push(
      <Button
        key="return-incoming"
        danger
        onClick={() =>
          ask(t('documents.view.returnIncoming'), t('documents.view.reason'), true, (reason) =>
            post(`/api/documents/${d.id}/return`, { reason }),
          )
        }
      >
        {t('documents.view.returnIncoming')}
      </Button>,
    );
  if (d.direction === 'incoming' && ['registered', 'assigned', 'in_progress'].includes(d.status) && isLeader)
    actions.push(
      <Button key="assign" type="primary" onClick={() => setAssign({})}>
        {t('documents.view.assign')}
      </Button>,
    );
  const myTurn = d.pendingReviewerIds.includes(me.id);
  if (d.direction === 'outgoing' && d.status === 'draft')
    actions.push(
      <Button key="resubmit" type="primary" onClick={() => setResubmit(true)}>
        {t('documents.handling.resubmit')}
      </Button>,
    );
  if (d.direction === 'outgoing' && d.status === 'in_review' && myTurn)
    actions.push(
      <Button key="fwd-review" onClick={() => setForward({ kind: 'review' })}>
        {t('documents.handling.forwardReview')}
      </Button>,
    );
  if (
    d.direction === 'outgoing' &&
    d.status === 'issued' &&
    d.validity.state === 'valid' &&
    (isClerk || isLeader)
  )
    actions.push(
      <Button key="update" onClick={() => validity('update')}>
        {t('documents.handling.update')}
      </Button>,
      <Button key="recall" danger onClick={() => validity('recall')}>
        {t('documents.handling.recall')}
      </Button>,
    );
  // The issuer (another installation) asks for the document back: its clerk answers 15 or 16.
  const recallAsked = [...d.timeline]
    .reverse()
    .find((e) => ['recall_requested', 'recalled', 'recall_refused'].includes(e.kind));
  if (d.direction === 'incoming' && recallAsked?.kind === 'recall_requested' && isClerk)
    actions.push(
      <Button
        key="recall-accept"
        danger
        onClick={() =>
          ask(t('documents.exchange.recallAccept'), t('documents.view.reason'), true, (reason) =>
            post(`/api/documents/${d.id}/exchange/recall-answer`, { accept: true, reason }),
          )
        }
      >
        {t('documents.exchange.recallAccept')}
      </Button>,
      <Button
        key="recall-refuse"
        onClick={() =>
          ask(t('documents.exchange.recallRefuse'), t('documents.view.reason'), true, (reason) =>
            post(`/api/documents/${d.id}/exchange/recall-answer`, { accept: false, reason }),
          )
        }
      >
        {t('documents.exchange.recallRefuse')}
      </Button>,
    );
  // The issuer asks to correct the document (cập nhật): the clerk answers 15 or 16, oldest first.
  const answeredUpdates = new Set(
    d.timeline.filter((e) => e.kind === 'updated' || e.kind === 'update_refused').map((e) => e.data.ref),
  );
  const updateAsked = d.timeline.find(
    (e) => e.kind === 'update_requested' && !answeredUpdates.has(e.data.ref),
  );
  if (d.direction === 'incoming' && updateAsked && isClerk)
    actions.push(
      <Button
        key="update-accept"
        type="primary"
        onClick={() =>
          ask(t('documents.exchange.updateAccept'), t('documents.view.reason'), true, (reason) =>
            post(`/api/documents/${d.id}/exchange/update-answer`, { accept: true, reason }),
          )
        }
      >
        {t('documents.exchange.updateAccept')}
      </Button>,
      <Button
        key="update-refuse"
        onClick={() =>
          ask(t('documents.exchange.updateRefuse'), t('documents.view.reason'), true, (reason) =>
            post(`/api/documents/${d.id}/exchange/update-answer`, { accept: false, reason }),
          )
        }
      >
        {t('documents.exchange.updateRefuse')}
      </Button>,
    );
  // The signer (the last step, alone) approves an electronic draft by signing it.
  const hasMain = d.files.some((f) => f.role === 'main');
  const round = Math.max(0, ...d.approvals.map((x) => x.round));
  const mine = d.approvals.find((x) => x.round === round && x.reviewerId === me.id && x.decision === null);
  const lastStep = Math.max(0, ...d.approvals.filter((x) => x.round === round).map((x) => x.step));
  const signsNow = myTurn && hasMain && mine?.step === lastStep && d.pendingReviewerIds.length === 1;
  if (d.direction === 'outgoing' && d.status === 'in_review' && myTurn)
    actions.push(
      <Button
        key="approve"
        type="primary"
        onClick={() =>
          signsNow
            ? setSignFor('personal')
            : ask(t('documents.view.approve'), t('documents.view.comment'), false, (comment) =>
                post(`/api/documents/${d.id}/review`, { decision: 'approved', ...(comment && { comment }) }),
              )
        }
      >
        {signsNow ? t('documents.signing.approveAndSign') : t('documents.view.approve')}
      </Button>,
      <Button
        key="return"
        danger
        onClick={() =>
          ask(t('documents.view.returnDraft'), t('documents.view.comment'), true, (comment) =>
            post(`/api/documents/${d.id}/review`, { decision: 'returned', comment }),
          )
        }
      >
        {t('documents.view.returnDraft')}
      </Button>,
    );
  if (d.direction === 'outgoing' && d.status === 'approved' && isClerk)
    actions.push(
      <Button key="issue" type="primary" onClick={() => setRegisterFor('issue')}>
        {t('documents.view.issue')}
      </Button>,
    );

  const kindRegisters = (registers.data ?? []).filter(
    (r: Register) =>
      r.agencyId === d.agencyId &&
      r.kind === (registerFor === 'issue' ? 'outgoing' : 'incoming') &&
      r.secret === (d.secrecy !== 'none'),
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {d.typeName} {numberNotation(d) !== '—' ? numberNotation(d) : ''}
        </Typography.Title>
        <StatusTag status={d.status} />
        <ValidityTag d={d} />
        {d.signature.personal === 'unsigned' && <Tag>{t('documents.view.unsigned')}</Tag>}
        <UrgencyTag urgency={d.urgency} />
        {d.secrecy !== 'none' && <Tag color="magenta">{t(`documents.secrecy.${d.secrecy}`)}</Tag>}
      </Space>
      <Typography.Paragraph strong style={{ fontSize: 16 }}>
        {d.subject}
      </Typography.Paragraph>
      {actions.length > 0 && <Space wrap>{actions}</Space>}
      <Row gutter={16}>
        <Col xs={24} xl={preview ? 12 : 24}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Card title={t('documents.view.info')} size="small">
              <Descriptions column={2} size="small">
                <Descriptions.Item label={t('documents.field.issuer')}>{d.issuerName}</Descriptions.Item>
                <Descriptions.Item label={t('documents.field.channel')}>
                  {t(`documents.channel.${d.channel}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('documents.field.numberNotation')}>
                  {numberNotation(d)}
                </Descriptions.Item>
                <Descriptions.Item label={t('documents.field.issuedOn')}>
                  {d.issuedOn ? formatDate(d.issuedOn) : '—'}
                </Descriptions.Item>
                {d.registerNumber !== null && (
                  <Descriptions.Item label={t('documents.field.registerNumber')}>
                    <span data-testid="register-number">
                      {d.registerNumber}/{d.registerYear}
                    </span>
                  </Descriptions.Item>
                )}
                {d.registeredAt && (
                  <Descriptions.Item label={t('documents.field.registeredAt')}>
                    {formatDateTime(d.registeredAt)}
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('documents.field.signerName')}>
                  {[d.signerCompetence, d.signerPosition, d.signerName].filter(Boolean).join(' ') || '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('documents.field.pageCount')}>
                  {d.pageCount ?? '—'}
                </Descriptions.Item>
                {d.dueOn && (
                  <Descriptions.Item label={t('documents.field.dueOn')}>
                    {formatDate(d.dueOn)}
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('documents.field.files')} span={2}>
                  <Space direction="vertical" size={0}>
                    {d.files.length === 0 && '—'}
                    {d.files.map((f) => (
                      <Space key={f.position}>
                        <Typography.Link href={documentFileUrl(d.id, f.position)} target="_blank">
                          {f.name}
                        </Typography.Link>
                        {f.name.toLowerCase().endsWith('.pdf') && (
                          <Button size="small" type="link" onClick={() => setPreview(f.position)}>
                            {t('documents.register.preview')}
                          </Button>
                        )}
                      </Space>
                    ))}
                  </Space>
                </Descriptions.Item>
              </Descriptions>
            </Card>
            {d.direction === 'incoming' && (
              <Card title={t('documents.view.assignments')} size="small">
                <AssignmentTree
                  d={d}
                  me={me}
                  onAssignDown={(parentId) => setAssign({ parentId })}
                  onStart={(a) => post(`/api/documents/${d.id}/assignments/${a.id}/start`)}
                  onFinish={(a) =>
                    ask(t('documents.view.finish'), t('documents.view.result'), true, (result) =>
                      post(`/api/documents/${d.id}/assignments/${a.id}/finish`, { result }),
                    )
                  }
                  onReturn={(a) =>
                    ask(t('documents.view.return'), t('documents.view.reason'), true, (reason) =>
                      post(`/api/documents/${d.id}/assignments/${a.id}/return`, { reason }),
                    )
                  }
                  onReply={() =>
                    navigate({ to: '/van-ban/di/soan-thao', search: { replyTo: d.id } as never })
                  }
                  onOpinion={(a) => setOpinionFor(a.id)}
                  onForward={(a) => setForward({ kind: 'assignment', assignmentId: a.id })}
                />
              </Card>
            )}
            <SignaturesCard d={d} />
            {((d.direction === 'outgoing' && d.status === 'issued') ||
              (d.direction === 'incoming' && d.channel === 'electronic')) && <ExchangeCard id={d.id} />}
            <ApprovalsCard d={d} />
            <VersionsCard d={d} canAdd={(d.status === 'in_review' && myTurn) || d.status === 'draft'} />
            <Card title={t('documents.view.timeline')} size="small">
              <Timeline
                items={d.timeline.map((e) => ({
                  children: (
                    <Space direction="vertical" size={0}>
                      <Typography.Text strong>
                        {t(`documents.timeline.${e.kind}`, e.kind)}
                        {e.actorName ? ` — ${e.actorName}` : ''}
                      </Typography.Text>
                      <Typography.Text type="secondary">{formatDateTime(e.at)}</Typography.Text>
                      <EventData data={e.data} />
                    </Space>
                  ),
                }))}
              />
            </Card>
          </Space>
        </Col>
        {preview && (
          <Col xs={24} xl={12}>
            <Card size="small" title={t('documents.register.preview')}>
              <iframe
                title={t('documents.register.preview')}
                src={documentFileUrl(d.id, preview)}
                style={{ width: '100%', height: 760, border: 0 }}
              />
            </Card>
          </Col>
        )}
      </Row>
      {assign && (
        <AssignDialog
          open
          documentId={d.id}
          agencyId={d.agencyId}
          parentId={assign.parentId}
          onClose={() => setAssign(null)}
        />
      )}
      <OpinionDialog d={d} assignmentId={opinionFor} onClose={() => setOpinionFor(null)} />
      <ForwardDialog d={d} target={forward} onClose={() => setForward(null)} />
      <ResubmitDialog d={d} open={resubmit} exclude={me.id} onClose={() => setResubmit(false)} />
      <SignDialog
        open={signFor !== null}
        title={t('documents.signing.approveAndSign')}
        note={t('documents.signing.personalNote')}
        withComment
        onClose={() => setSignFor(null)}
        onSign={async (password, comment) => {
          await api.post(`/api/documents/${d.id}/review`, {
            decision: 'approved',
            ...(comment && { comment }),
            signing: { password },
          });
          await refresh();
          setSignFor(null);
        }}
      />
      <RegisterPicker
        open={registerFor !== null}
        title={
          registerFor !== 'issue'
            ? t('documents.view.registerReceived')
            : hasMain
              ? t('documents.signing.issueAndSign')
              : t('documents.view.issue')
        }
        registers={kindRegisters}
        signing={registerFor === 'issue' ? (hasMain ? 'agency' : 'paper') : undefined}
        onClose={() => setRegisterFor(null)}
        onPick={async (registerId, password) => {
          if (registerFor === 'issue') {
            const r = await api.post<{ notation: string; number: string }>(`/api/documents/${d.id}/issue`, {
              registerId,
              ...(password && { signing: { password } }),
            });
            void message.success(t('documents.view.issued', { notation: `${r.number}/${r.notation}` }));
          } else {
            await api.post(`/api/documents/${d.id}/register`, { registerId });
          }
          await refresh();
          setRegisterFor(null);
        }}
      />
    </Space>
  );
}

function EventData({ data }: { data: Record<string, unknown> }) {
  const { t } = useTranslation();
  const text = ['instruction', 'result', 'reason', 'comment', 'answer']
    .map((k) => data[k])
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
  // An update (asked or made): what changes, field by field.
  const changes = Object.entries(
    (data.changes && typeof data.changes === 'object' ? data.changes : {}) as Record<string, { to: unknown }>,
  );
  if (!text.length && !changes.length) return null;
  return (
    <Space direction="vertical" size={0}>
      {text.length > 0 && <Typography.Text italic>{text.join(' — ')}</Typography.Text>}
      {changes.map(([k, c]) => (
        <Typography.Text key={k} type="secondary" data-testid="event-change">
          {t(`documents.field.${k}`, k)}: {String(c.to ?? '—')}
        </Typography.Text>
      ))}
    </Space>
  );
}

function RegisterPicker(props: {
  open: boolean;
  title: string;
  registers: Register[];
  /** Issuance: the agency signature's password ('agency'), or a note that it goes on paper. */
  signing?: 'agency' | 'paper' | undefined;
  onClose: () => void;
  onPick: (registerId: string, password?: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const fail = useFail();
  const [value, setValue] = useState<string | undefined>();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = value ?? props.registers[0]?.id;
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.title}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !chosen || (props.signing === 'agency' && !password) }}
      onCancel={props.onClose}
      onOk={async () => {
        if (!chosen) return;
        setBusy(true);
        try {
          await props.onPick(chosen, props.signing === 'agency' ? password : undefined);
        } catch (e) {
          fail(e);
        } finally {
          setBusy(false);
        }
      }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('documents.field.register')}>
          <Select
            value={chosen}
            onChange={setValue}
            options={props.registers.map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }))}
          />
        </Form.Item>
        {props.signing === 'agency' && (
          <>
            <Typography.Paragraph type="secondary">{t('documents.signing.agencyNote')}</Typography.Paragraph>
            <Form.Item
              label={t('documents.signing.password')}
              extra={t('documents.signing.passwordHint')}
              htmlFor="agency-signing-password"
            >
              <Input.Password
                id="agency-signing-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="off"
                data-testid="agency-signing-password"
              />
            </Form.Item>
          </>
        )}
        {props.signing === 'paper' && (
          <Typography.Paragraph type="secondary">{t('documents.signing.paperNote')}</Typography.Paragraph>
        )}
      </Form>
    </Modal>
  );
}

/** Asks the signer for their certificate's password (and a comment) before signing on the server. */
function SignDialog(props: {
  open: boolean;
  title: string;
  note: string;
  withComment?: boolean;
  onClose: () => void;
  onSign: (password: string, comment: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const fail = useFail();
  const [password, setPassword] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.title}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !password }}
      onCancel={props.onClose}
      onOk={async () => {
        setBusy(true);
        try {
          await props.onSign(password, comment.trim());
          setPassword('');
          setComment('');
        } catch (e) {
          fail(e);
        } finally {
          setBusy(false);
        }
      }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Typography.Paragraph type="secondary">{props.note}</Typography.Paragraph>
        {props.withComment && (
          <Form.Item label={t('documents.view.comment')} htmlFor="sign-comment">
            <Input.TextArea
              id="sign-comment"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              rows={2}
            />
          </Form.Item>
        )}
        <Form.Item
          label={t('documents.signing.password')}
          extra={t('documents.signing.passwordHint')}
          htmlFor="sign-password"
        >
          <Input.Password
            id="sign-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="off"
            data-testid="personal-signing-password"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AssignmentTree(props: {
  d: DocumentDetail;
  me: Me;
  onAssignDown: (parentId: string) => void;
  onStart: (a: Assignment) => void;
  onFinish: (a: Assignment) => void;
  onReturn: (a: Assignment) => void;
  onReply: () => void;
  onOpinion: (a: Assignment) => void;
  onForward: (a: Assignment) => void;
}) {
  const { t } = useTranslation();
  const { d, me } = props;
  if (d.assignments.length === 0)
    return <Typography.Text type="secondary">{t('documents.view.noAssignments')}</Typography.Text>;
  type Node = { key: string; title: ReactNode; children: Node[] };
  const byParent = new Map<string | null, Assignment[]>();
  for (const a of d.assignments) byParent.set(a.parentId, [...(byParent.get(a.parentId) ?? []), a]);
  const build = (parent: string | null): Node[] =>
    (byParent.get(parent) ?? []).map((a) => {
      const mine = isMine(me, a);
      const open = a.status === 'pending' || a.status === 'in_progress';
      return {
        key: a.id,
        children: build(a.id),
        title: (
          <Space
            wrap
            size={4}
            data-testid={`assignment-${a.assigneeDepartmentName ?? a.assigneeOfficialName}`}
          >
            <Tag color={a.role === 'lead' ? 'blue' : a.role === 'support' ? 'cyan' : 'default'}>
              {t(`documents.role.${a.role}`)}
            </Tag>
            <Typography.Text strong>{a.assigneeDepartmentName ?? a.assigneeOfficialName}</Typography.Text>
            <StatusTag status={a.status} />
            {a.deadline && (
              <Typography.Text type="secondary">
                {t('documents.view.deadline')}: <span data-testid="deadline">{formatDate(a.deadline)}</span>
              </Typography.Text>
            )}
            {a.instruction && <Typography.Text italic>“{a.instruction}”</Typography.Text>}
            {a.result && <Typography.Text type="success">{a.result}</Typography.Text>}
            <OpinionsOf d={d} a={a} />
            {mine && open && a.role !== 'info' && (
              <>
                {a.status === 'pending' && (
                  <Button size="small" onClick={() => props.onStart(a)}>
                    {t('documents.view.start')}
                  </Button>
                )}
                <Button size="small" onClick={() => props.onAssignDown(a.id)}>
                  {t('documents.view.assignDown')}
                </Button>
                {a.role === 'lead' && (
                  <Button size="small" onClick={props.onReply}>
                    {t('documents.view.reply')}
                  </Button>
                )}
                <Button size="small" onClick={() => props.onOpinion(a)}>
                  {t('documents.handling.opinion')}
                </Button>
                <Button size="small" onClick={() => props.onForward(a)}>
                  {t('documents.handling.forward')}
                </Button>
                <Button size="small" type="primary" onClick={() => props.onFinish(a)}>
                  {t('documents.view.finish')}
                </Button>
                <Button size="small" danger onClick={() => props.onReturn(a)}>
                  {t('documents.view.return')}
                </Button>
              </>
            )}
          </Space>
        ),
      };
    });
  // Every level stays open, also the ones added after the first render.
  return (
    <Tree
      treeData={build(null)}
      expandedKeys={d.assignments.map((a) => a.id)}
      selectable={false}
      blockNode
      showLine
    />
  );
}

/** Liên thông: per recipient agency outside the installation, sent → 01 … 06 in order. */
function ExchangeCard({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useExchangeTimeline(id);
  const data = q.data;
  if (!data || (data.outbound.length === 0 && data.events.length === 0 && !data.inbound)) return null;
  const agencies = [...new Set(data.events.map((e) => e.agencyCode))];
  const pending = data.outbound.filter((o) => o.kind === 'edoc' && o.state !== 'sent');
  return (
    <Card title={t('documents.exchange.title')} size="small" data-testid="exchange-card">
      {data.inbound && (
        <Space direction="vertical" size={0} style={{ marginBottom: 8 }}>
          <Typography.Text>
            {t('documents.exchange.receivedFrom', { from: data.inbound.from })} —{' '}
            {formatDateTime(data.inbound.receivedAt)}
          </Typography.Text>
          {data.inbound.xmlRevocation === 'revoked' ? (
            <Alert
              type="error"
              showIcon
              data-testid="exchange-xml-signature"
              message={t('documents.exchange.xmlRevoked', { signer: data.inbound.xmlSigner ?? '' })}
              description={
                <>
                  {data.inbound.xmlRevocationDetail && <div>{data.inbound.xmlRevocationDetail}</div>}
                  <div>{t('documents.exchange.xmlRevokedAction')}</div>
                </>
              }
            />
          ) : (
            <Typography.Text
              data-testid="exchange-xml-signature"
              type={data.inbound.xmlSignature === 'valid' && data.inbound.xmlTrusted ? 'success' : 'warning'}
            >
              {data.inbound.xmlSignature === 'valid'
                ? t(
                    data.inbound.xmlTrusted
                      ? 'documents.exchange.xmlTrusted'
                      : 'documents.exchange.xmlUntrusted',
                    {
                      signer: data.inbound.xmlSigner ?? '',
                    },
                  )
                : t(`documents.exchange.xml.${data.inbound.xmlSignature}`)}
            </Typography.Text>
          )}
          {data.inbound.xmlRevocation === 'good' && (
            <Typography.Text type="secondary" data-testid="exchange-xml-revocation">
              {t('documents.exchange.xmlRevocationGood')}
            </Typography.Text>
          )}
          {data.inbound.xmlRevocation === 'unknown' && (
            <Typography.Text
              type="warning"
              data-testid="exchange-xml-revocation"
              title={data.inbound.xmlRevocationDetail ?? undefined}
            >
              {t('documents.exchange.xmlRevocationUnknown')}
            </Typography.Text>
          )}
        </Space>
      )}
      {pending.map((o) => (
        <Typography.Paragraph key={o.id} type={o.state === 'failed' ? 'danger' : 'secondary'}>
          {t(`documents.exchange.state.${o.state}`)}
          {o.lastError ? ` — ${o.lastError}` : ''}
        </Typography.Paragraph>
      ))}
      {agencies.map((code) => (
        <div key={code} data-testid="exchange-recipient">
          <Typography.Text strong>{code}</Typography.Text>
          <Timeline
            items={data.events
              .filter((e) => e.agencyCode === code)
              .map((e) => ({
                children: (
                  <Space direction="vertical" size={0}>
                    <Typography.Text data-testid="exchange-event">
                      {e.event === 'sent' ? '' : `${e.event} — `}
                      {t(`documents.exchange.event.${e.event}`, e.event)}
                    </Typography.Text>
                    {e.event !== 'sent' && e.description && (
                      <Typography.Text italic data-testid="exchange-event-description">
                        {e.description}
                      </Typography.Text>
                    )}
                    <Typography.Text type="secondary">{formatDateTime(e.at)}</Typography.Text>
                  </Space>
                ),
              }))}
          />
        </div>
      ))}
    </Card>
  );
}
