import {
  type ArchiveDueItem,
  CloseWorkFile,
  CreateFileListItem,
  type DocumentSummary,
  FileCode,
  type FileList,
  type FileListDetail,
  type FileListItem,
  type OfficialSummary,
  type RetentionClass,
  type WorkFile,
  type WorkFileDetail,
} from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { FormModal, useFail } from '../../components/FormModal.tsx';
import { useCan, useMe } from '../../session.ts';
import { foldFilter, formatDate, formatDateTime } from '../../util.ts';
import { useAgencies, useDepartments } from '../org/data.ts';
import { zodRule } from '../rules.ts';

const thisYear = () => new Date().getFullYear();
const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined);

/** Runs a change, then refreshes every work-file query and says it is saved. */
function useChange<V, R = unknown>(fn: (v: V) => Promise<R>, after?: (r: R) => void) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { t } = useTranslation();
  const fail = useFail();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (r) => {
      message.success(t('common.saved'));
      after?.(r);
      await qc.invalidateQueries({ queryKey: ['workfiles'] });
    },
    onError: fail,
  });
}

/** The agencies the signed-in official works in (membership or role). */
function useMyAgencies() {
  const me = useMe();
  const agencies = useAgencies();
  return useMemo(() => {
    const ids = new Set([
      ...me.memberships.map((m) => m.agencyId),
      ...me.roles.map((r) => r.agencyId).filter((x): x is string => x !== null),
    ]);
    return (agencies.data ?? []).filter((a) => ids.has(a.id));
  }, [me, agencies.data]);
}

function useRetention() {
  return useQuery({
    queryKey: ['workfiles', 'retention'],
    queryFn: () => api.get<{ items: RetentionClass[] }>('/api/workfiles/retention-classes'),
    select: (d) => d.items,
    staleTime: 3_600_000,
  });
}

function useOfficialsOf(agencyId: string | undefined) {
  return useQuery({
    queryKey: ['officials', 'of-agency', agencyId],
    enabled: !!agencyId,
    queryFn: () =>
      api.get<{ items: OfficialSummary[] }>(`/api/org/officials${qs({ agencyId, pageSize: 200 })}`),
    select: (d) => d.items,
  });
}

function FileStatus({ f }: { f: Pick<WorkFile, 'status' | 'depositedOn'> }) {
  const { t } = useTranslation();
  if (f.depositedOn) return <Tag color="purple">{t('workfiles.deposited')}</Tag>;
  return f.status === 'open' ? (
    <Tag color="green">{t('workfiles.open')}</Tag>
  ) : (
    <Tag>{t('workfiles.closed')}</Tag>
  );
}

export default function WorkFiles() {
  const { t } = useTranslation();
  const can = useCan();
  const [fileId, setFileId] = useState<string | null>(null);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('workfiles.heading')}</Typography.Title>
      <Tabs
        defaultActiveKey="files"
        items={[
          { key: 'files', label: t('workfiles.tabFiles'), children: <FilesTab onOpen={setFileId} /> },
          { key: 'lists', label: t('workfiles.tabLists'), children: <ListsTab onOpen={setFileId} /> },
          ...(can('workfiles.archive')
            ? [
                {
                  key: 'archive',
                  label: t('workfiles.tabArchive'),
                  children: <ArchiveTab onOpen={setFileId} />,
                },
              ]
            : []),
        ]}
      />
      <FileDrawer id={fileId} onClose={() => setFileId(null)} />
    </Space>
  );
}

// --- Danh mục hồ sơ

function ListsTab({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const [year, setYear] = useState(thisYear());
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<FileListItem | 'new' | null>(null);
  const [listForm] = Form.useForm();
  const [itemForm] = Form.useForm();
  const agencies = useMyAgencies();
  const retention = useRetention();
  const lists = useQuery({
    queryKey: ['workfiles', 'lists', year],
    queryFn: () => api.get<{ items: FileList[] }>(`/api/workfiles/lists${qs({ year })}`),
    select: (d) => d.items,
  });
  const detail = useQuery({
    queryKey: ['workfiles', 'list', selected],
    enabled: !!selected,
    queryFn: () => api.get<FileListDetail>(`/api/workfiles/lists/${selected}`),
  });
  const list = selected ? detail.data : undefined;
  const departments = useDepartments(list?.agencyId);
  const officials = useOfficialsOf(list?.agencyId);

  const createList = useChange(
    (v: { agencyId: string; year: number }) => api.post<FileListDetail>('/api/workfiles/lists', v),
    (r) => {
      setCreating(false);
      setYear(r.year);
      setSelected(r.id);
    },
  );
  const saveItem = useChange(
    (v: Record<string, string | undefined>) => {
      const body = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' ? undefined : x]));
      return editing === 'new'
        ? api.post(`/api/workfiles/lists/${selected}/items`, body)
        : api.patch(`/api/workfiles/lists/${selected}/items/${(editing as FileListItem).id}`, {
            ...body,
            section: body.section ?? null,
            departmentId: body.departmentId ?? null,
            officialId: body.officialId ?? null,
            note: body.note ?? null,
          });
    },
    () => setEditing(null),
  );
  const removeItem = useChange((id: string) => api.del(`/api/workfiles/lists/${selected}/items/${id}`));
  const approve = useChange(() => api.post(`/api/workfiles/lists/${selected}/approve`));
  const openFromItem = useChange(
    (listItemId: string) => api.post<WorkFileDetail>('/api/workfiles/files', { listItemId }),
    (r) => onOpen(r.id),
  );
  const draft = list?.status === 'draft';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        {t('workfiles.year')}
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        {can('workfiles.manage') && (
          <Button
            onClick={() => {
              listForm.setFieldsValue({ agencyId: agencies[0]?.id, year });
              setCreating(true);
            }}
          >
            {t('workfiles.newList')}
          </Button>
        )}
      </Space>
      <Table<FileList>
        rowKey="id"
        size="small"
        loading={lists.isLoading}
        dataSource={lists.data}
        pagination={false}
        rowSelection={{
          type: 'radio',
          selectedRowKeys: selected ? [selected] : [],
          onChange: (keys) => setSelected((keys[0] as string) ?? null),
        }}
        onRow={(l) => ({ onClick: () => setSelected(l.id) })}
        columns={[
          { title: t('workfiles.agency'), dataIndex: 'agencyName' },
          { title: t('workfiles.year'), dataIndex: 'year', width: 80 },
          {
            title: t('workfiles.status'),
            dataIndex: 'status',
            render: (s: FileList['status']) =>
              s === 'approved' ? (
                <Tag color="blue">{t('workfiles.approved')}</Tag>
              ) : (
                <Tag>{t('workfiles.draft')}</Tag>
              ),
          },
          {
            title: t('workfiles.approvedBy'),
            key: 'approvedBy',
            render: (_: unknown, l: FileList) =>
              l.approvedAt ? `${l.approvedByName ?? ''} — ${formatDateTime(l.approvedAt)}` : t('common.none'),
          },
          { title: t('workfiles.itemCount'), dataIndex: 'itemCount', width: 90 },
        ]}
      />
      {!list ? (
        <Typography.Text type="secondary">{t('workfiles.pickList')}</Typography.Text>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('workfiles.tabLists')} {list.year} — {list.agencyName}
            </Typography.Title>
            {draft && can('workfiles.manage') && (
              <Button
                onClick={() => {
                  itemForm.resetFields();
                  setEditing('new');
                }}
              >
                {t('workfiles.addItem')}
              </Button>
            )}
            {draft && can('workfiles.approveList') && (
              <Popconfirm title={t('workfiles.approveConfirm')} onConfirm={() => approve.mutate(undefined)}>
                <Button type="primary" loading={approve.isPending}>
                  {t('workfiles.approve')}
                </Button>
              </Popconfirm>
            )}
          </Space>
          <Table<FileListItem>
            rowKey="id"
            size="small"
            loading={detail.isLoading}
            dataSource={list.items}
            pagination={false}
            columns={[
              { title: t('workfiles.section'), dataIndex: 'section', render: (v) => v ?? '' },
              { title: t('workfiles.code'), dataIndex: 'code', width: 110 },
              { title: t('workfiles.title'), dataIndex: 'title' },
              { title: t('workfiles.retention'), dataIndex: 'retentionLabel', width: 110 },
              {
                title: t('workfiles.unit'),
                key: 'unit',
                render: (_: unknown, i: FileListItem) =>
                  [i.departmentName, i.officialName].filter(Boolean).join(' / ') || t('common.none'),
              },
              { title: t('workfiles.note'), dataIndex: 'note', render: (v) => v ?? '' },
              {
                title: t('workfiles.file'),
                key: 'file',
                render: (_: unknown, i: FileListItem) =>
                  i.fileId ? (
                    <Button size="small" type="link" onClick={() => onOpen(i.fileId!)}>
                      {i.fileStatus === 'open' ? t('workfiles.open') : t('workfiles.closed')}
                    </Button>
                  ) : list.status === 'approved' && can('workfiles.manage') ? (
                    <Button size="small" onClick={() => openFromItem.mutate(i.id)}>
                      {t('workfiles.openFromItem')}
                    </Button>
                  ) : (
                    t('workfiles.noFile')
                  ),
              },
              ...(draft && can('workfiles.manage')
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      render: (_: unknown, i: FileListItem) => (
                        <Space>
                          <Button
                            size="small"
                            onClick={() => {
                              itemForm.setFieldsValue({
                                section: i.section ?? '',
                                code: i.code,
                                title: i.title,
                                retentionCode: i.retentionCode,
                                departmentId: i.departmentId ?? undefined,
                                officialId: i.officialId ?? undefined,
                                note: i.note ?? '',
                              });
                              setEditing(i);
                            }}
                          >
                            {t('common.edit')}
                          </Button>
                          <Popconfirm title={t('common.confirm')} onConfirm={() => removeItem.mutate(i.id)}>
                            <Button size="small" danger>
                              {t('common.delete')}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Space>
      )}

      <FormModal
        form={listForm}
        open={creating}
        title={t('workfiles.newList')}
        saving={createList.isPending}
        onClose={() => setCreating(false)}
      >
        <Form form={listForm} layout="vertical" onFinish={(v) => createList.mutate(v)} preserve={false}>
          <Form.Item
            label={t('workfiles.agency')}
            name="agencyId"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Select options={agencies.map((a) => ({ value: a.id, label: a.name }))} />
          </Form.Item>
          <Form.Item
            label={t('workfiles.year')}
            name="year"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <InputNumber min={2000} max={2100} />
          </Form.Item>
        </Form>
      </FormModal>

      <FormModal
        form={itemForm}
        open={editing !== null}
        width={640}
        title={editing === 'new' ? t('workfiles.addItem') : t('common.edit')}
        saving={saveItem.isPending}
        onClose={() => setEditing(null)}
      >
        <Form form={itemForm} layout="vertical" onFinish={(v) => saveItem.mutate(v)} preserve={false}>
          <Form.Item label={t('workfiles.section')} name="section">
            <Input />
          </Form.Item>
          <Form.Item
            label={t('workfiles.code')}
            name="code"
            rules={[{ required: true, message: t('error.required') }, zodRule(FileCode)]}
          >
            <Input placeholder="01.TH" />
          </Form.Item>
          <Form.Item
            label={t('workfiles.title')}
            name="title"
            rules={[
              { required: true, message: t('error.required') },
              zodRule(CreateFileListItem.shape.title),
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item
            label={t('workfiles.retention')}
            name="retentionCode"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Select options={(retention.data ?? []).map((c) => ({ value: c.code, label: c.label }))} />
          </Form.Item>
          <Form.Item label={t('workfiles.department')} name="departmentId">
            <Select
              allowClear
              showSearch
              filterOption={foldFilter}
              options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
          <Form.Item label={t('workfiles.official')} name="officialId">
            <Select
              allowClear
              showSearch
              filterOption={foldFilter}
              options={(officials.data ?? []).map((o) => ({ value: o.id, label: o.fullName }))}
            />
          </Form.Item>
          <Form.Item label={t('workfiles.note')} name="note">
            <Input />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}

// --- Hồ sơ công việc

const PAGE_SIZE = 20;

function FilesTab({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const [year, setYear] = useState<number | null>(thisYear());
  const [status, setStatus] = useState<'open' | 'closed' | undefined>();
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const agencies = useMyAgencies();
  const retention = useRetention();
  const agencyId = Form.useWatch('agencyId', form) as string | undefined;
  const departments = useDepartments(agencyId);
  const officials = useOfficialsOf(agencyId);
  const files = useQuery({
    queryKey: ['workfiles', 'files', year, status, mine, page],
    queryFn: () =>
      api.get<{ items: WorkFile[]; total: number }>(
        `/api/workfiles/files${qs({ year, status, mine: mine || undefined, page, pageSize: PAGE_SIZE })}`,
      ),
  });
  const create = useChange(
    (v: {
      agencyId: string;
      code: string;
      title: string;
      retentionCode: string;
      ownerId: string;
      openedOn: Dayjs;
      departmentId?: string;
    }) =>
      api.post<WorkFileDetail>('/api/workfiles/files', {
        ...v,
        openedOn: day(v.openedOn),
        ...(v.departmentId ? { departmentId: v.departmentId } : {}),
      }),
    (r) => {
      setCreating(false);
      onOpen(r.id);
    },
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        {t('workfiles.year')}
        <InputNumber
          min={2000}
          max={2100}
          value={year}
          onChange={(v) => {
            setYear(v);
            setPage(1);
          }}
        />
        <Select
          style={{ width: 160 }}
          allowClear
          placeholder={t('workfiles.status')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={[
            { value: 'open', label: t('workfiles.open') },
            { value: 'closed', label: t('workfiles.closed') },
          ]}
        />
        <Checkbox
          checked={mine}
          onChange={(e) => {
            setMine(e.target.checked);
            setPage(1);
          }}
        >
          {t('workfiles.mine')}
        </Checkbox>
        {can('workfiles.manage') && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ agencyId: agencies[0]?.id, ownerId: me.id, openedOn: dayjs() });
              setCreating(true);
            }}
          >
            {t('workfiles.openOffList')}
          </Button>
        )}
      </Space>
      <Table<WorkFile>
        rowKey="id"
        size="small"
        loading={files.isLoading}
        dataSource={files.data?.items}
        onRow={(f) => ({ onClick: () => onOpen(f.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: files.data?.total ?? 0,
          onChange: setPage,
          showTotal: (n) => t('common.total', { count: n }),
        }}
        columns={[
          { title: t('workfiles.code'), dataIndex: 'code', width: 110 },
          { title: t('workfiles.title'), dataIndex: 'title' },
          { title: t('workfiles.retention'), dataIndex: 'retentionLabel', width: 110 },
          { title: t('workfiles.owner'), dataIndex: 'ownerName' },
          { title: t('workfiles.openedOn'), dataIndex: 'openedOn', render: formatDate, width: 110 },
          {
            title: t('workfiles.closedOn'),
            dataIndex: 'closedOn',
            render: (v: string | null) => (v ? formatDate(v) : ''),
            width: 110,
          },
          { title: t('workfiles.documentCount'), dataIndex: 'documentCount', width: 90 },
          {
            title: t('workfiles.status'),
            key: 'status',
            render: (_: unknown, f: WorkFile) => <FileStatus f={f} />,
          },
        ]}
      />
      <FormModal
        form={form}
        open={creating}
        width={640}
        title={t('workfiles.openOffList')}
        saving={create.isPending}
        onClose={() => setCreating(false)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} preserve={false}>
          <Form.Item
            label={t('workfiles.agency')}
            name="agencyId"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Select options={agencies.map((a) => ({ value: a.id, label: a.name }))} />
          </Form.Item>
          <Form.Item
            label={t('workfiles.code')}
            name="code"
            rules={[{ required: true, message: t('error.required') }, zodRule(FileCode)]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            label={t('workfiles.title')}
            name="title"
            rules={[
              { required: true, message: t('error.required') },
              zodRule(CreateFileListItem.shape.title),
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item
            label={t('workfiles.retention')}
            name="retentionCode"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Select options={(retention.data ?? []).map((c) => ({ value: c.code, label: c.label }))} />
          </Form.Item>
          <Form.Item
            label={t('workfiles.owner')}
            name="ownerId"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <Select
              showSearch
              filterOption={foldFilter}
              options={[
                { value: me.id, label: me.fullName },
                ...(officials.data ?? [])
                  .filter((o) => o.id !== me.id)
                  .map((o) => ({ value: o.id, label: o.fullName })),
              ]}
            />
          </Form.Item>
          <Form.Item label={t('workfiles.department')} name="departmentId">
            <Select
              allowClear
              showSearch
              filterOption={foldFilter}
              options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
          <Form.Item
            label={t('workfiles.openedOn')}
            name="openedOn"
            rules={[{ required: true, message: t('error.required') }]}
          >
            <DatePicker format="DD/MM/YYYY" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}

// --- Một hồ sơ: văn bản, ghi chú, kết thúc, mở lại, nộp lưu

type Dialog = 'close' | 'reopen' | 'deposit' | null;

function FileDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [note, setNote] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm();
  const file = useQuery({
    queryKey: ['workfiles', 'file', id],
    enabled: !!id,
    queryFn: () => api.get<WorkFileDetail>(`/api/workfiles/files/${id}`),
  });
  const found = useQuery({
    queryKey: ['documents', 'search', q],
    enabled: !!id && q.trim().length >= 2,
    queryFn: () => api.get<{ items: DocumentSummary[] }>(`/api/documents${qs({ q, pageSize: 20 })}`),
    select: (d) => d.items,
  });
  const attach = useChange((documentId: string) =>
    api.post(`/api/workfiles/files/${id}/documents`, { documentId }),
  );
  const detach = useChange((documentId: string) =>
    api.del(`/api/workfiles/files/${id}/documents/${documentId}`),
  );
  const addNote = useChange(
    (body: string) => api.post(`/api/workfiles/files/${id}/notes`, { body }),
    () => setNote(''),
  );
  const removeNote = useChange((noteId: string) => api.del(`/api/workfiles/files/${id}/notes/${noteId}`));
  const act = useChange(
    (v: { closedOn?: Dayjs; closingNote?: string; reason?: string; depositedOn?: Dayjs }) =>
      dialog === 'close'
        ? api.post(`/api/workfiles/files/${id}/close`, {
            closedOn: day(v.closedOn),
            closingNote: v.closingNote,
          })
        : dialog === 'reopen'
          ? api.post(`/api/workfiles/files/${id}/reopen`, { reason: v.reason })
          : api.post(`/api/workfiles/files/${id}/deposit`, { depositedOn: day(v.depositedOn) }),
    () => setDialog(null),
  );
  const f = file.data;
  const docLabel = (d: DocumentSummary) =>
    `${d.number && d.notation ? `${d.number}/${d.notation}` : d.registerNumber ? `Số đến ${d.registerNumber}` : ''} — ${d.subject}`;

  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size="large"
      title={f ? `${f.code} — ${f.title}` : t('workfiles.detail')}
    >
      {!f ? null : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { key: 'agency', label: t('workfiles.agency'), children: f.agencyName, span: 2 },
              { key: 'code', label: t('workfiles.code'), children: f.code },
              { key: 'year', label: t('workfiles.year'), children: f.year },
              { key: 'retention', label: t('workfiles.retention'), children: f.retentionLabel },
              { key: 'status', label: t('workfiles.status'), children: <FileStatus f={f} /> },
              { key: 'owner', label: t('workfiles.owner'), children: f.ownerName },
              {
                key: 'dep',
                label: t('workfiles.department'),
                children: f.departmentName ?? t('common.none'),
              },
              { key: 'opened', label: t('workfiles.openedOn'), children: formatDate(f.openedOn) },
              {
                key: 'closed',
                label: t('workfiles.closedOn'),
                children: f.closedOn ? formatDate(f.closedOn) : t('common.none'),
              },
              ...(f.closingNote
                ? [{ key: 'cn', label: t('workfiles.closingNote'), children: f.closingNote, span: 2 }]
                : []),
              ...(f.depositedOn
                ? [{ key: 'dep-on', label: t('workfiles.depositedOn'), children: formatDate(f.depositedOn) }]
                : []),
            ]}
          />
          <Space wrap>
            {f.canChange && (
              <Button
                onClick={() => {
                  form.resetFields();
                  setDialog('close');
                }}
              >
                {t('workfiles.close')}
              </Button>
            )}
            {f.canReopen && (
              <Button
                onClick={() => {
                  form.resetFields();
                  setDialog('reopen');
                }}
              >
                {t('workfiles.reopen')}
              </Button>
            )}
            {f.canDeposit && (
              <Button
                type="primary"
                onClick={() => {
                  form.resetFields();
                  setDialog('deposit');
                }}
              >
                {t('workfiles.deposit')}
              </Button>
            )}
          </Space>

          <Typography.Title level={5}>{t('workfiles.documents')}</Typography.Title>
          {f.canChange && (
            <Select<string>
              style={{ width: '100%' }}
              showSearch
              value={null as unknown as string}
              placeholder={t('workfiles.searchDocument')}
              filterOption={false}
              onSearch={setQ}
              loading={found.isFetching}
              notFoundContent={null}
              options={(found.data ?? []).map((d) => ({ value: d.id, label: docLabel(d) }))}
              onChange={(v) => v && attach.mutate(v)}
            />
          )}
          <Table
            rowKey="documentId"
            size="small"
            pagination={false}
            dataSource={f.documents}
            columns={[
              {
                title: t('workfiles.numberNotation'),
                key: 'no',
                render: (_: unknown, d: WorkFileDetail['documents'][number]) =>
                  d.document
                    ? d.document.number && d.document.notation
                      ? `${d.document.number}/${d.document.notation}`
                      : (d.document.registerNumber ?? '')
                    : '',
              },
              {
                title: t('workfiles.subject'),
                key: 'subject',
                render: (_: unknown, d: WorkFileDetail['documents'][number]) =>
                  d.document?.subject ?? (
                    <Typography.Text type="secondary">{t('workfiles.hiddenDocument')}</Typography.Text>
                  ),
              },
              {
                title: t('workfiles.addedAt'),
                dataIndex: 'addedAt',
                render: (v: string) => formatDateTime(v),
                width: 140,
              },
              ...(f.canChange
                ? [
                    {
                      title: '',
                      key: 'x',
                      render: (_: unknown, d: WorkFileDetail['documents'][number]) => (
                        <Popconfirm title={t('common.confirm')} onConfirm={() => detach.mutate(d.documentId)}>
                          <Button size="small" danger>
                            {t('workfiles.detach')}
                          </Button>
                        </Popconfirm>
                      ),
                    },
                  ]
                : []),
            ]}
          />

          <Typography.Title level={5}>{t('workfiles.notes')}</Typography.Title>
          {f.notes.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <List
              size="small"
              dataSource={f.notes}
              renderItem={(n) => (
                <List.Item
                  actions={
                    f.canChange
                      ? [
                          <Popconfirm
                            key="x"
                            title={t('common.confirm')}
                            onConfirm={() => removeNote.mutate(n.id)}
                          >
                            <Button size="small" type="link" danger>
                              {t('common.delete')}
                            </Button>
                          </Popconfirm>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={`${n.authorName ?? ''} — ${formatDateTime(n.createdAt)}`}
                    description={n.body}
                  />
                </List.Item>
              )}
            />
          )}
          {f.canChange && (
            <Space.Compact style={{ width: '100%' }}>
              <Input.TextArea
                value={note}
                onChange={(e) => setNote(e.target.value)}
                autoSize={{ minRows: 1, maxRows: 4 }}
                maxLength={4000}
              />
              <Button
                disabled={!note.trim()}
                loading={addNote.isPending}
                onClick={() => addNote.mutate(note)}
              >
                {t('workfiles.addNote')}
              </Button>
            </Space.Compact>
          )}
        </Space>
      )}
      <FormModal
        form={form}
        open={dialog !== null}
        title={
          dialog === 'close'
            ? t('workfiles.close')
            : dialog === 'reopen'
              ? t('workfiles.reopen')
              : t('workfiles.deposit')
        }
        saving={act.isPending}
        onClose={() => setDialog(null)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => act.mutate(v)} preserve={false}>
          {dialog === 'close' && (
            <>
              <Form.Item label={t('workfiles.closedOn')} name="closedOn">
                <DatePicker format="DD/MM/YYYY" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
              </Form.Item>
              <Form.Item
                label={t('workfiles.closingNote')}
                name="closingNote"
                rules={[
                  { required: true, message: t('error.required') },
                  zodRule(CloseWorkFile.shape.closingNote),
                ]}
              >
                <Input.TextArea autoSize={{ minRows: 3 }} />
              </Form.Item>
            </>
          )}
          {dialog === 'reopen' && (
            <Form.Item
              label={t('workfiles.reason')}
              name="reason"
              rules={[{ required: true, message: t('error.required') }]}
            >
              <Input.TextArea autoSize={{ minRows: 2 }} />
            </Form.Item>
          )}
          {dialog === 'deposit' && (
            <Form.Item label={t('workfiles.depositedOn')} name="depositedOn">
              <DatePicker format="DD/MM/YYYY" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
          )}
        </Form>
      </FormModal>
    </Drawer>
  );
}

// --- Đến hạn nộp lưu

function ArchiveTab({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const [withinDays, setWithinDays] = useState(30);
  const due = useQuery({
    queryKey: ['workfiles', 'archive-due', withinDays],
    queryFn: () => api.get<{ items: ArchiveDueItem[] }>(`/api/workfiles/archive-due${qs({ withinDays })}`),
    select: (d) => d.items,
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space>
        {t('workfiles.withinDays')}
        <InputNumber min={0} max={3660} value={withinDays} onChange={(v) => v !== null && setWithinDays(v)} />
      </Space>
      <Table<ArchiveDueItem>
        rowKey="id"
        size="small"
        loading={due.isLoading}
        dataSource={due.data}
        pagination={false}
        onRow={(f) => ({ onClick: () => onOpen(f.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('workfiles.code'), dataIndex: 'code', width: 110 },
          { title: t('workfiles.title'), dataIndex: 'title' },
          { title: t('workfiles.agency'), dataIndex: 'agencyName' },
          { title: t('workfiles.retention'), dataIndex: 'retentionLabel', width: 110 },
          {
            title: t('workfiles.closedOn'),
            dataIndex: 'closedOn',
            render: (v: string | null) => (v ? formatDate(v) : ''),
            width: 110,
          },
          {
            title: t('workfiles.depositDue'),
            key: 'due',
            render: (_: unknown, f: ArchiveDueItem) => (
              <Space>
                {formatDate(f.depositDue)}
                {f.overdue && <Tag color="red">{t('workfiles.overdue')}</Tag>}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
