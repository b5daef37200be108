import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  AUTHORITY_LEVELS,
  DURATION_UNITS,
  FEE_KINDS,
  FEE_WHEN,
  ONLINE_LEVELS,
  ProcedureCode,
  type ProcedureDetail,
  type ProcedureSector,
  ROLES,
  WORKFLOW_STEP_KINDS,
} from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Divider,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';
import { foldFilter } from '../../util.ts';
import { uploadFile } from '../documents/data.ts';
import { useAgencies, useDepartments } from '../org/data.ts';
import { zodRule } from '../rules.ts';
import {
  bodyOf,
  type ChannelValues,
  contractIssues,
  emptyCase,
  emptyChannel,
  emptyComponent,
  emptyFee,
  emptyStep,
  type FieldIssue,
  newProcedureValues,
  type ProcedureFormValues,
  type SaveMode,
  serverIssues,
  valuesOf,
} from './procedureForm.ts';

/** Names of lists: an issue about a whole list has no field of its own and is shown as a message. */
const LISTS = new Set([
  'cases',
  'channels',
  'fees',
  'components',
  'workflow',
  'steps',
  'applicants',
  'results',
  'legalBasis',
  'implementing',
]);

/** /thu-tuc/moi and /thu-tuc/$id/sua: every field of a procedure version, saved through the API. */
export default function ProcedureForm() {
  const { id } = useParams({ strict: false }) as { id?: string };
  const q = useQuery({
    queryKey: ['procedure', id],
    queryFn: () => api.get<ProcedureDetail>(`/api/procedures/${id}`),
    enabled: !!id,
  });
  if (id && !q.data) return <Card loading={q.isLoading} />;
  return <ProcedureEditor key={id ?? 'new'} detail={q.data} />;
}

function ProcedureEditor({ detail }: { detail?: ProcedureDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useFail();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<ProcedureFormValues>();
  const asNewVersion = Form.useWatch('asNewVersion', form) ?? false;
  const sectors = useQuery({
    queryKey: ['procedure-sectors'],
    queryFn: () => api.get<{ items: ProcedureSector[] }>('/api/procedure-sectors'),
  });
  const agencies = useAgencies();
  const agencyOptions = (agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }));
  const req = { required: true, whitespace: true, message: t('error.required') };
  const reqPick = { required: true, message: t('error.required') };

  const save = useMutation({
    mutationFn: ({ mode, body }: { mode: SaveMode; body: object }) =>
      mode === 'create'
        ? api.post<ProcedureDetail>('/api/procedures', body)
        : mode === 'update'
          ? api.put<ProcedureDetail>(`/api/procedures/${detail?.id}`, body)
          : api.post<ProcedureDetail>(`/api/procedures/${detail?.id}/versions`, body),
  });

  const show = (issues: FieldIssue[]) => {
    const fields = issues.filter((i) => !LISTS.has(String(i.path.at(-1))));
    // Paths come from the contract and the server, not from the form's value type.
    form.setFields(fields.map((i) => ({ name: i.path as never, errors: [i.message] })));
    for (const i of issues.filter((x) => !fields.includes(x))) void message.error(i.message);
    if (fields[0]) form.scrollToField(fields[0].path as never, { block: 'center' });
  };

  const submit = () => {
    const values = form.getFieldsValue(true) as ProcedureFormValues;
    const mode: SaveMode = !detail ? 'create' : values.asNewVersion ? 'newVersion' : 'update';
    const { code, validFrom, validTo, ...content } = bodyOf(values);
    const body =
      mode === 'create'
        ? { code, validFrom, validTo, ...content }
        : mode === 'update'
          ? content
          : { validFrom, ...content };
    const local = contractIssues(mode, body, t);
    if (local.length) {
      void message.error(t('procedures.editor.fixErrors'));
      return show(local);
    }
    save.mutate(
      { mode, body },
      {
        onSuccess: async (d) => {
          qc.setQueryData(['procedure', d.id], d);
          await qc.invalidateQueries({ queryKey: ['procedures'] });
          void message.success(t('procedures.editor.saved'));
          await navigate({ to: '/thu-tuc/$id', params: { id: d.id } });
        },
        onError: (e) => {
          const issues = e instanceof ApiError ? serverIssues(e, local, t) : [];
          fail(e);
          if (issues.length) show(issues);
        },
      },
    );
  };

  return (
    <Form<ProcedureFormValues>
      form={form}
      layout="vertical"
      initialValues={detail ? valuesOf(detail) : newProcedureValues()}
      onFinish={submit}
      onFinishFailed={() => void message.error(t('procedures.editor.fixErrors'))}
      scrollToFirstError={{ block: 'center' }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card
          title={
            detail
              ? t('procedures.editor.editHeading', { code: detail.code })
              : t('procedures.editor.newHeading')
          }
          extra={
            <Space>
              <Button
                onClick={() =>
                  detail
                    ? navigate({ to: '/thu-tuc/$id', params: { id: detail.id } })
                    : navigate({ to: '/thu-tuc' })
                }
              >
                {t('common.cancel')}
              </Button>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
            </Space>
          }
        >
          <Row gutter={16}>
            <Col xs={24} md={6}>
              <Form.Item
                name="code"
                label={t('procedures.code')}
                rules={[req, zodRule(ProcedureCode)]}
                extra={detail ? undefined : 'VD: 1.001193'}
              >
                <Input disabled={!!detail} />
              </Form.Item>
            </Col>
            <Col xs={24} md={18}>
              <Form.Item name="name" label={t('procedures.name')} rules={[req, { max: 1000 }]}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="sectorCode" label={t('procedures.sector')}>
                <Select
                  allowClear
                  showSearch
                  filterOption={foldFilter}
                  options={(sectors.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="authorityLevel" label={t('procedures.level')} rules={[reqPick]}>
                <Select
                  options={AUTHORITY_LEVELS.map((l) => ({ value: l, label: t(`procedures.levels.${l}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="onlineLevel" label={t('procedures.online')} rules={[reqPick]}>
                <Select
                  options={ONLINE_LEVELS.map((l) => ({ value: l, label: t(`procedures.onlineLevels.${l}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="announcingAgency"
                label={t('procedures.editor.announcingAgency')}
                rules={[{ max: 200 }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="validFrom" label={t('procedures.editor.validFrom')} rules={[reqPick]}>
                <DatePicker
                  format="DD/MM/YYYY"
                  disabled={!!detail && !asNewVersion}
                  style={{ width: '100%' }}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="validTo" label={t('procedures.editor.validTo')}>
                <DatePicker format="DD/MM/YYYY" disabled={!!detail} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="agencyIds" label={t('procedures.agencies')}>
                <Select mode="multiple" allowClear filterOption={foldFilter} options={agencyOptions} />
              </Form.Item>
            </Col>
            <Col xs={24} md={4}>
              <Form.Item name="published" label={t('procedures.publishToggle')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
          {detail && (
            <Form.Item
              name="asNewVersion"
              valuePropName="checked"
              extra={t('procedures.editor.newVersionHint')}
            >
              <Checkbox>{t('procedures.editor.newVersion')}</Checkbox>
            </Form.Item>
          )}
          <Divider titlePlacement="start">{t('procedures.applicants')}</Divider>
          <StringList
            name="applicants"
            label={t('procedures.editor.applicant')}
            add={t('procedures.editor.addApplicant')}
            max={500}
          />
          <Form.Item
            name="applicantDescription"
            label={t('procedures.editor.applicantDescription')}
            rules={[{ max: 4000 }]}
          >
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} />
          </Form.Item>
          <Form.Item name="conditions" label={t('procedures.conditions')} rules={[{ max: 20_000 }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} />
          </Form.Item>
          <Divider titlePlacement="start">{t('procedures.results')}</Divider>
          <PairList
            name="results"
            first={{ key: 'code', label: t('procedures.editor.itemCode'), max: 100 }}
            second={{ key: 'name', label: t('procedures.editor.resultName'), max: 2000 }}
            add={t('procedures.editor.addResult')}
          />
          <Divider titlePlacement="start">{t('procedures.legalBasis')}</Divider>
          <PairList
            name="legalBasis"
            first={{ key: 'number', label: t('procedures.editor.legalNumber'), max: 200 }}
            second={{ key: 'title', label: t('procedures.editor.legalTitle'), max: 2000 }}
            add={t('procedures.editor.addLegal')}
          />
          <Divider titlePlacement="start">{t('procedures.editor.implementing')}</Divider>
          <PairList
            name="implementing"
            first={{ key: 'code', label: t('procedures.editor.itemCode'), max: 100 }}
            second={{ key: 'name', label: t('procedures.editor.implementingName'), max: 500 }}
            add={t('procedures.editor.addImplementing')}
          />
        </Card>
        <Form.List name="cases">
          {(cases, { add, remove }) => (
            <>
              {cases.map((c, ci) => (
                <Card
                  key={c.key}
                  data-testid={`case-${ci}`}
                  title={t('procedures.editor.caseTitle', { n: ci + 1 })}
                  extra={
                    cases.length > 1 && (
                      <Button
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('procedures.editor.removeCase')}
                        onClick={() => remove(c.name)}
                      />
                    )
                  }
                >
                  <CaseFields form={form} ci={ci} />
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add(emptyCase())}>
                {t('procedures.editor.addCase')}
              </Button>
            </>
          )}
        </Form.List>
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Space>
      </Space>
    </Form>
  );
}

/** A list of strings, one input each (applicants). */
function StringList({ name, label, add, max }: { name: string; label: string; add: string; max: number }) {
  const { t } = useTranslation();
  return (
    <Form.List name={name}>
      {(items, ops) => (
        <>
          {items.map((f) => (
            <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
              <Form.Item
                name={f.name}
                rules={[{ required: true, whitespace: true, message: t('error.required') }, { max }]}
                style={{ width: 640 }}
              >
                <Input aria-label={label} />
              </Form.Item>
              <RemoveButton label={t('procedures.editor.remove')} onClick={() => ops.remove(f.name)} />
            </Space>
          ))}
          <AddButton onClick={() => ops.add('')}>{add}</AddButton>
        </>
      )}
    </Form.List>
  );
}

/** A list of { optional code, required text } (results, legal basis, implementing agencies). */
function PairList(props: {
  name: string;
  first: { key: string; label: string; max: number };
  second: { key: string; label: string; max: number };
  add: string;
}) {
  const { t } = useTranslation();
  return (
    <Form.List name={props.name}>
      {(items, ops) => (
        <>
          {items.map((f) => (
            <Row key={f.key} gutter={8} align="bottom">
              <Col xs={24} md={6}>
                <Form.Item
                  name={[f.name, props.first.key]}
                  label={props.first.label}
                  rules={[{ max: props.first.max }]}
                >
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={22} md={17}>
                <Form.Item
                  name={[f.name, props.second.key]}
                  label={props.second.label}
                  rules={[
                    { required: true, whitespace: true, message: t('error.required') },
                    { max: props.second.max },
                  ]}
                >
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={2} md={1}>
                <Form.Item>
                  <RemoveButton label={t('procedures.editor.remove')} onClick={() => ops.remove(f.name)} />
                </Form.Item>
              </Col>
            </Row>
          ))}
          <AddButton onClick={() => ops.add({})}>{props.add}</AddButton>
        </>
      )}
    </Form.List>
  );
}

function AddButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={onClick} style={{ marginBottom: 16 }}>
      {children}
    </Button>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button type="text" danger icon={<DeleteOutlined />} aria-label={label} title={label} onClick={onClick} />
  );
}

/** One case: its name, steps, channels (with fees), components and workflow. */
function CaseFields({ form, ci }: { form: FormInstance<ProcedureFormValues>; ci: number }) {
  const { t } = useTranslation();
  const req = { required: true, whitespace: true, message: t('error.required') };
  const reqPick = { required: true, message: t('error.required') };
  const fail = useFail();
  return (
    <>
      <Form.Item name={[ci, 'name']} label={t('procedures.editor.caseName')} rules={[req, { max: 2000 }]}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} />
      </Form.Item>
      <Typography.Text strong>{t('procedures.editor.caseSteps')}</Typography.Text>
      <Form.List name={[ci, 'steps']}>
        {(items, ops) => (
          <>
            {items.map((f, i) => (
              <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                <Typography.Text>{i + 1}.</Typography.Text>
                <Form.Item name={f.name} rules={[req, { max: 4000 }]} style={{ width: 720 }}>
                  <Input.TextArea
                    autoSize={{ minRows: 1, maxRows: 4 }}
                    aria-label={t('procedures.editor.caseStep')}
                  />
                </Form.Item>
                <RemoveButton label={t('procedures.editor.remove')} onClick={() => ops.remove(f.name)} />
              </Space>
            ))}
            <div>
              <AddButton onClick={() => ops.add('')}>{t('procedures.editor.addCaseStep')}</AddButton>
            </div>
          </>
        )}
      </Form.List>

      <Divider titlePlacement="start">{t('procedures.channels')}</Divider>
      <Form.List
        name={[ci, 'channels']}
        rules={[
          {
            validator: async (_r, chs: ChannelValues[] | undefined) => {
              const kinds = (chs ?? []).map((c) => c?.channel);
              if (new Set(kinds).size !== kinds.length) throw new Error('Mỗi kênh chỉ khai một lần');
            },
          },
        ]}
      >
        {(channels, ops, { errors }) => (
          <>
            {channels.map((ch, chi) => (
              <Card
                key={ch.key}
                size="small"
                style={{ marginBottom: 12 }}
                data-testid={`channel-${ci}-${chi}`}
                extra={
                  <RemoveButton
                    label={t('procedures.editor.removeChannel')}
                    onClick={() => ops.remove(ch.name)}
                  />
                }
                title={
                  <Form.Item name={[ch.name, 'channel']} noStyle rules={[reqPick]}>
                    <Select
                      aria-label={t('procedures.channel')}
                      style={{ width: 220 }}
                      options={[1, 2, 3].map((k) => ({ value: k, label: t(`procedures.channelNames.${k}`) }))}
                    />
                  </Form.Item>
                }
              >
                <Row gutter={8}>
                  <Col xs={12} md={4}>
                    <Form.Item
                      name={[ch.name, 'durationValue']}
                      label={t('procedures.editor.durationValue')}
                      rules={[reqPick]}
                    >
                      <InputNumber min={0} max={99_999} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={5}>
                    <Form.Item
                      name={[ch.name, 'durationUnit']}
                      label={t('procedures.editor.durationUnit')}
                      rules={[reqPick]}
                    >
                      <Select
                        options={DURATION_UNITS.map((u) => ({ value: u, label: t(`procedures.units.${u}`) }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={15}>
                    <Form.Item
                      name={[ch.name, 'description']}
                      label={t('procedures.editor.description')}
                      rules={[{ max: 2000 }]}
                    >
                      <Input />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.List name={[ch.name, 'fees']}>
                  {(fees, feeOps) => (
                    <>
                      {fees.map((f, fi) => (
                        <Row key={f.key} gutter={8} align="bottom" data-testid={`fee-${ci}-${chi}-${fi}`}>
                          <Col xs={24} md={7}>
                            <Form.Item
                              name={[f.name, 'name']}
                              label={t('procedures.editor.feeName')}
                              rules={[req, { max: 500 }]}
                            >
                              <Input />
                            </Form.Item>
                          </Col>
                          <Col xs={8} md={3}>
                            <Form.Item
                              name={[f.name, 'kind']}
                              label={t('procedures.editor.feeKind')}
                              rules={[reqPick]}
                            >
                              <Select
                                options={FEE_KINDS.map((k) => ({
                                  value: k,
                                  label: t(`procedures.editor.feeKinds.${k}`),
                                }))}
                              />
                            </Form.Item>
                          </Col>
                          <Col xs={8} md={4}>
                            <Form.Item
                              name={[f.name, 'amount']}
                              label={t('procedures.editor.feeAmount')}
                              rules={[reqPick]}
                            >
                              <InputNumber min={0} max={1e13} step={1000} style={{ width: '100%' }} />
                            </Form.Item>
                          </Col>
                          <Col xs={8} md={4}>
                            <Form.Item
                              name={[f.name, 'when']}
                              label={t('procedures.editor.feeWhen')}
                              rules={[reqPick]}
                            >
                              <Select
                                options={FEE_WHEN.map((w) => ({
                                  value: w,
                                  label: t(`procedures.editor.feeWhens.${w}`),
                                }))}
                              />
                            </Form.Item>
                          </Col>
                          <Col xs={8} md={2}>
                            <Form.Item
                              name={[f.name, 'code']}
                              label={t('procedures.editor.itemCode')}
                              rules={[{ max: 50 }]}
                            >
                              <Input />
                            </Form.Item>
                          </Col>
                          <Col xs={14} md={3}>
                            <Form.Item
                              name={[f.name, 'description']}
                              label={t('procedures.editor.description')}
                              rules={[{ max: 2000 }]}
                            >
                              <Input />
                            </Form.Item>
                          </Col>
                          <Col xs={2} md={1}>
                            <Form.Item>
                              <RemoveButton
                                label={t('procedures.editor.removeFee')}
                                onClick={() => feeOps.remove(f.name)}
                              />
                            </Form.Item>
                          </Col>
                        </Row>
                      ))}
                      <AddButton onClick={() => feeOps.add(emptyFee())}>
                        {t('procedures.editor.addFee')}
                      </AddButton>
                    </>
                  )}
                </Form.List>
              </Card>
            ))}
            <Form.ErrorList errors={errors} />
            {channels.length < 3 && (
              <AddButton
                onClick={() => {
                  const used = new Set(
                    ((form.getFieldValue(['cases', ci, 'channels']) ?? []) as ChannelValues[]).map(
                      (c) => c?.channel,
                    ),
                  );
                  ops.add(emptyChannel(([1, 2, 3] as const).find((k) => !used.has(k)) ?? 1));
                }}
              >
                {t('procedures.editor.addChannel')}
              </AddButton>
            )}
          </>
        )}
      </Form.List>

      <Divider titlePlacement="start">{t('procedures.components')}</Divider>
      <Form.List name={[ci, 'components']}>
        {(items, ops) => (
          <>
            {items.map((k, ki) => (
              <div
                key={k.key}
                data-testid={`component-${ci}-${ki}`}
                style={{ borderBottom: '1px dashed #d9d9d9', marginBottom: 12 }}
              >
                <Row gutter={8} align="bottom">
                  <Col xs={24} md={12}>
                    <Form.Item
                      name={[k.name, 'name']}
                      label={`${ki + 1}. ${t('procedures.componentName')}`}
                      rules={[req, { max: 2000 }]}
                    >
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={3}>
                    <Form.Item
                      name={[k.name, 'originals']}
                      label={t('procedures.originals')}
                      rules={[reqPick]}
                    >
                      <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={3}>
                    <Form.Item
                      name={[k.name, 'certified']}
                      label={t('procedures.certified')}
                      rules={[reqPick]}
                    >
                      <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={3}>
                    <Form.Item name={[k.name, 'copies']} label={t('procedures.copies')} rules={[reqPick]}>
                      <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={2}>
                    <Form.Item
                      name={[k.name, 'required']}
                      valuePropName="checked"
                      label={t('procedures.editor.required')}
                    >
                      <Checkbox />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={1}>
                    <Form.Item>
                      <RemoveButton
                        label={t('procedures.editor.removeComponent')}
                        onClick={() => ops.remove(k.name)}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={3}>
                    <Form.Item
                      name={[k.name, 'code']}
                      label={t('procedures.editor.componentCode')}
                      rules={[{ max: 100 }]}
                    >
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4}>
                    <Form.Item
                      name={[k.name, 'alternativeGroup']}
                      label={t('procedures.editor.alternativeGroup')}
                      tooltip={t('procedures.editor.alternativeHint')}
                      rules={[{ max: 50 }]}
                    >
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={5}>
                    <Form.Item
                      name={[k.name, 'formName']}
                      label={t('procedures.editor.formName')}
                      rules={[{ max: 500 }]}
                    >
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={7}>
                    <Form.Item
                      name={[k.name, 'formUrl']}
                      label={t('procedures.editor.formUrl')}
                      rules={[{ max: 2000 }]}
                    >
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={5}>
                    <Form.Item label=" " colon={false}>
                      <Form.Item name={[k.name, 'formBlob']} noStyle>
                        <FormTemplate
                          onUpload={async (file) => {
                            try {
                              const up = await uploadFile(file);
                              const at = ['cases', ci, 'components', ki] as const;
                              form.setFieldValue([...at, 'formBlob'], up.sha256);
                              if (!form.getFieldValue([...at, 'formName']))
                                form.setFieldValue([...at, 'formName'], up.name);
                            } catch (e) {
                              fail(e);
                            }
                          }}
                        />
                      </Form.Item>
                    </Form.Item>
                  </Col>
                </Row>
              </div>
            ))}
            <AddButton onClick={() => ops.add(emptyComponent())}>
              {t('procedures.editor.addComponent')}
            </AddButton>
          </>
        )}
      </Form.List>

      <Divider titlePlacement="start">{t('procedures.workflow')}</Divider>
      <Form.List name={[ci, 'workflow']}>
        {(steps, ops) => (
          <>
            {steps.map((s, si) => (
              <StepRow
                key={s.key}
                form={form}
                ci={ci}
                si={si}
                name={s.name}
                onRemove={() => ops.remove(s.name)}
              />
            ))}
            <AddButton onClick={() => ops.add(emptyStep())}>{t('procedures.editor.addStep')}</AddButton>
          </>
        )}
      </Form.List>
    </>
  );
}

/** The form template of a component: uploaded to the file store, named by its SHA-256. */
function FormTemplate({ value, onUpload }: { value?: string; onUpload: (f: File) => Promise<void> }) {
  const { t } = useTranslation();
  return (
    <Space>
      <Upload
        showUploadList={false}
        beforeUpload={async (file) => {
          await onUpload(file);
          return false;
        }}
      >
        <Button size="small" icon={<UploadOutlined />}>
          {t('procedures.editor.formUpload')}
        </Button>
      </Upload>
      {value && <Tag color="green">{t('procedures.editor.formUploaded')}</Tag>}
    </Space>
  );
}

/** One workflow step; its department is picked among those of the step's agency (or the receiving ones). */
function StepRow(props: {
  form: FormInstance<ProcedureFormValues>;
  ci: number;
  si: number;
  name: number;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { form, ci, si, name } = props;
  const req = { required: true, whitespace: true, message: t('error.required') };
  const reqPick = { required: true, message: t('error.required') };
  const agencies = useAgencies();
  const departments = useDepartments();
  const agencyId = Form.useWatch(['cases', ci, 'workflow', si, 'agencyId'], form) as
    | string
    | null
    | undefined;
  const receiving = (Form.useWatch('agencyIds', form) ?? []) as string[];
  const owners = agencyId ? [agencyId] : receiving;
  const agencyName = new Map((agencies.data ?? []).map((a) => [a.id, a.name]));
  const departmentOptions = (departments.data ?? [])
    .filter((d) => owners.includes(d.agencyId))
    .map((d) => ({
      value: d.id,
      label: owners.length > 1 ? `${d.name} — ${agencyName.get(d.agencyId) ?? ''}` : d.name,
    }));
  return (
    <Row gutter={8} align="bottom" data-testid={`step-${ci}-${si}`}>
      <Col xs={24} md={6}>
        <Form.Item
          name={[name, 'name']}
          label={`${si + 1}. ${t('procedures.stepName')}`}
          rules={[req, { max: 500 }]}
        >
          <Input />
        </Form.Item>
      </Col>
      <Col xs={12} md={3}>
        <Form.Item name={[name, 'kind']} label={t('procedures.stepKind')} rules={[reqPick]}>
          <Select
            options={WORKFLOW_STEP_KINDS.map((k) => ({ value: k, label: t(`procedures.kinds.${k}`) }))}
          />
        </Form.Item>
      </Col>
      <Col xs={12} md={5}>
        <Form.Item name={[name, 'agencyId']} label={t('procedures.stepAgency')}>
          <Select
            allowClear
            showSearch
            filterOption={foldFilter}
            placeholder={t('procedures.receivingAgency')}
            options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
            onChange={(v?: string) => {
              form.setFieldValue(['cases', ci, 'workflow', si, 'agencyId'], v ?? null);
              form.setFieldValue(['cases', ci, 'workflow', si, 'departmentId'], null);
            }}
          />
        </Form.Item>
      </Col>
      <Col xs={12} md={4}>
        <Form.Item name={[name, 'departmentId']} label={t('procedures.stepDepartment')}>
          <Select
            allowClear
            showSearch
            filterOption={foldFilter}
            options={departmentOptions}
            onChange={(v?: string) =>
              form.setFieldValue(['cases', ci, 'workflow', si, 'departmentId'], v ?? null)
            }
          />
        </Form.Item>
      </Col>
      <Col xs={6} md={3}>
        <Form.Item name={[name, 'role']} label={t('procedures.stepRole')} rules={[reqPick]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={5} md={2}>
        <Form.Item name={[name, 'durationHours']} label={t('procedures.editor.stepHours')} rules={[reqPick]}>
          <InputNumber min={0} max={10_000} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={1} md={1}>
        <Form.Item>
          <RemoveButton label={t('procedures.editor.removeStep')} onClick={props.onRemove} />
        </Form.Item>
      </Col>
    </Row>
  );
}
