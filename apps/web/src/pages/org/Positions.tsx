import type { Position } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { FormModal, useFail } from '../../components/FormModal.tsx';
import { useCan } from '../../session.ts';
import { usePositions } from './data.ts';

export default function Positions() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const fail = useFail();
  const positions = usePositions();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const create = useMutation({
    mutationFn: (v: { name: string; rank: number }) => api.post('/api/org/positions', v),
    onSuccess: async () => {
      setOpen(false);
      message.success(t('common.saved'));
      await qc.invalidateQueries({ queryKey: ['positions'] });
    },
    onError: fail,
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('positions.heading')}</Typography.Title>
      {can('org.manage') && (
        <Button type="primary" style={{ width: 'fit-content' }} onClick={() => setOpen(true)}>
          {t('positions.add')}
        </Button>
      )}
      <Table<Position>
        rowKey="id"
        loading={positions.isLoading}
        dataSource={positions.data}
        pagination={false}
        columns={[
          { title: t('positions.name'), dataIndex: 'name' },
          { title: t('positions.rank'), dataIndex: 'rank', width: 120 },
        ]}
      />
      <FormModal form={form} open={open} title={t('positions.add')} onClose={() => setOpen(false)}>
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ rank: 80 }}>
          <Form.Item label={t('positions.name')} name="name" rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('positions.rank')} name="rank" rules={[{ required: true }]}>
            <InputNumber min={0} max={1000} />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}
