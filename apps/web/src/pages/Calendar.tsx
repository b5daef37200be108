import type { HolidayNotice } from '@congvu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { FormModal, useFail } from '../components/FormModal.tsx';
import { useCan } from '../session.ts';
import { formatDate } from '../util.ts';

interface DayOff {
  date: string;
  name: string;
  source: 'statutory' | 'notice';
}

const WEEKDAYS_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export default function Calendar() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [year, setYear] = useState(new Date().getFullYear());
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const weekday = (d: string) =>
    (i18n.language === 'en' ? WEEKDAYS_EN : WEEKDAYS_VI)[new Date(`${d}T00:00:00Z`).getUTCDay()];
  const holidays = useQuery({
    queryKey: ['holidays', year],
    queryFn: () => api.get<{ items: DayOff[] }>(`/api/calendar/holidays?year=${year}`),
  });
  const notices = useQuery({
    queryKey: ['notices', year],
    queryFn: () => api.get<{ items: HolidayNotice[] }>(`/api/calendar/notices?year=${year}`),
  });
  const fail = useFail();
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['holidays'] }),
      qc.invalidateQueries({ queryKey: ['notices'] }),
    ]);
  const create = useMutation({
    mutationFn: (v: { date: Dayjs; kind: string; name: string; legalRef?: string }) =>
      api.post('/api/calendar/notices', {
        date: v.date.format('YYYY-MM-DD'),
        kind: v.kind,
        name: v.name,
        ...(v.legalRef ? { legalRef: v.legalRef } : {}),
      }),
    onSuccess: async () => {
      setOpen(false);
      await refresh();
    },
    onError: fail,
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('calendar.heading')}</Typography.Title>
      <Space>
        {t('calendar.year')}
        <InputNumber
          min={1900}
          max={2199}
          value={year}
          onChange={(v) => v && setYear(v)}
          aria-label={t('calendar.year')}
        />
      </Space>
      <Card title={t('calendar.daysOff')}>
        <Table<DayOff>
          rowKey="date"
          size="small"
          pagination={false}
          loading={holidays.isLoading}
          dataSource={holidays.data?.items}
          columns={[
            { title: t('common.date'), dataIndex: 'date', render: formatDate, width: 120 },
            { title: t('calendar.weekday'), dataIndex: 'date', key: 'weekday', render: weekday, width: 120 },
            { title: t('common.name'), dataIndex: 'name' },
            {
              title: t('calendar.source'),
              dataIndex: 'source',
              render: (s: string) => (
                <Tag color={s === 'notice' ? 'blue' : 'default'}>{t(`calendar.${s}`)}</Tag>
              ),
            },
          ]}
        />
      </Card>
      <Card
        title={t('calendar.notices')}
        extra={
          can('calendar.manage') && (
            <Button type="primary" onClick={() => setOpen(true)}>
              {t('calendar.addNotice')}
            </Button>
          )
        }
      >
        <Table<HolidayNotice>
          rowKey="id"
          size="small"
          pagination={false}
          loading={notices.isLoading}
          dataSource={notices.data?.items}
          columns={[
            { title: t('common.date'), dataIndex: 'date', render: formatDate, width: 120 },
            { title: t('calendar.weekday'), dataIndex: 'date', key: 'weekday', render: weekday, width: 120 },
            {
              title: t('calendar.kind'),
              dataIndex: 'kind',
              render: (k: string) => (k === 'day_off' ? t('calendar.dayOff') : t('calendar.makeup')),
            },
            { title: t('common.name'), dataIndex: 'name' },
            { title: t('calendar.legalRef'), dataIndex: 'legalRef', render: (v) => v ?? t('common.none') },
            ...(can('calendar.manage')
              ? [
                  {
                    title: t('common.actions'),
                    key: 'a',
                    render: (_: unknown, n: HolidayNotice) => (
                      <Popconfirm
                        title={t('common.confirm')}
                        onConfirm={async () => {
                          try {
                            await api.del(`/api/calendar/notices/${n.id}`);
                            await refresh();
                          } catch (e) {
                            fail(e);
                          }
                        }}
                      >
                        <Button size="small" danger>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <FormModal form={form} open={open} title={t('calendar.addNotice')} onClose={() => setOpen(false)}>
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => create.mutate(v)}
          initialValues={{ kind: 'day_off' }}
        >
          <Form.Item label={t('common.date')} name="date" rules={[{ required: true }]}>
            <DatePicker format="DD/MM/YYYY" />
          </Form.Item>
          <Form.Item label={t('calendar.kind')} name="kind">
            <Select
              options={[
                { value: 'day_off', label: t('calendar.dayOff') },
                { value: 'makeup_workday', label: t('calendar.makeup') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('common.name')} name="name" rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('calendar.legalRef')} name="legalRef">
            <Input placeholder="9441/TB-BNV" />
          </Form.Item>
        </Form>
      </FormModal>
    </Space>
  );
}
