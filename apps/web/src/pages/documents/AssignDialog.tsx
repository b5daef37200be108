import type { AssignDocument } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { FormModal, useFail } from '../../components/FormModal.tsx';
import { foldFilter } from '../../util.ts';
import { useDepartments } from '../org/data.ts';
import { useAgencyOfficials } from './data.ts';

interface FormValues {
  lead?: string;
  support?: string[];
  info?: string[];
  workingDays?: number;
  deadline?: Dayjs;
  instruction?: string;
}

/** Picks are "d:<departmentId>" or "o:<officialId>". */
const toItem = (pick: string) =>
  pick.startsWith('d:') ? { departmentId: pick.slice(2) } : { officialId: pick.slice(2) };

/**
 * Bút phê and phân công: one lead (chủ trì), supporting (phối hợp) and for-information (để biết)
 * units or officials of the agency, with a deadline in working days or as a date. With a parent
 * assignment it assigns further down (department head → specialist).
 */
export function AssignDialog(props: {
  documentId: string;
  agencyId: string;
  parentId?: string;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const qc = useQueryClient();
  const fail = useFail();
  const departments = useDepartments(props.agencyId);
  const officials = useAgencyOfficials(props.agencyId);
  const options = [
    {
      label: t('documents.assign.departments'),
      options: (departments.data ?? []).map((d) => ({ value: `d:${d.id}`, label: d.name })),
    },
    {
      label: t('documents.assign.officials'),
      options: (officials.data ?? []).map((o) => ({
        value: `o:${o.id}`,
        label: `${o.fullName}${o.position ? ` — ${o.position}` : ''}${o.primaryDepartment ? `, ${o.primaryDepartment}` : ''}`,
      })),
    },
  ];

  const save = useMutation({
    mutationFn: (v: FormValues) => {
      const deadline = v.deadline
        ? { deadline: v.deadline.format('YYYY-MM-DD') }
        : v.workingDays
          ? { deadlineWorkingDays: v.workingDays }
          : {};
      const items: AssignDocument['items'] = [
        ...(v.lead ? [{ role: 'lead' as const, ...toItem(v.lead), ...deadline }] : []),
        ...(v.support ?? []).map((p) => ({ role: 'support' as const, ...toItem(p), ...deadline })),
        ...(v.info ?? []).map((p) => ({ role: 'info' as const, ...toItem(p) })),
      ];
      return api.post(`/api/documents/${props.documentId}/assignments`, {
        ...(props.parentId && { parentId: props.parentId }),
        ...(v.instruction && { instruction: v.instruction }),
        items,
      });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['document', props.documentId] });
      await qc.invalidateQueries({ queryKey: ['worklist-counts'] });
      props.onClose();
    },
    onError: fail,
  });

  const select = (mode?: 'multiple') => (
    <Select
      mode={mode}
      allowClear
      showSearch
      filterOption={foldFilter}
      options={options}
      style={{ width: '100%' }}
    />
  );

  return (
    <FormModal
      form={form}
      open={props.open}
      onClose={props.onClose}
      saving={save.isPending}
      width={720}
      title={props.parentId ? t('documents.view.assignDown') : t('documents.assign.heading')}
    >
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="instruction" label={t('documents.assign.instruction')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item
          name="lead"
          label={t('documents.assign.lead')}
          rules={[{ required: true, message: t('documents.assign.pickOne') }]}
        >
          {select()}
        </Form.Item>
        <Form.Item name="support" label={t('documents.assign.support')}>
          {select('multiple')}
        </Form.Item>
        <Form.Item name="info" label={t('documents.assign.info')}>
          {select('multiple')}
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="workingDays" label={t('documents.assign.workingDays')}>
              <InputNumber min={1} max={365} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="deadline" label={t('documents.assign.deadline')}>
              <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormModal>
  );
}
