import { FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import type { RegisterBook } from '@congvu/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { Button, Card, DatePicker, InputNumber, Segmented, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { useRegisters } from './data.ts';

export interface RegistersSearch {
  registerId?: string;
  kind?: 'book' | 'tracking';
  year?: number;
  from?: string;
  to?: string;
}

/** Sổ đăng ký văn bản đến / đi and sổ theo dõi giải quyết (NĐ 30 Phụ lục IV): view, print, export. */
export default function Registers() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as RegistersSearch;
  const registers = useRegisters();
  const registerId = search.registerId ?? registers.data?.[0]?.id;
  const register = registers.data?.find((r) => r.id === registerId);
  const kind = register?.kind === 'incoming' ? (search.kind ?? 'book') : 'book';
  const year = search.year ?? dayjs().year();
  const params = { kind, year, from: search.from, to: search.to };
  const set = (patch: Partial<RegistersSearch>) =>
    navigate({ to: '/van-ban/so', search: { ...search, ...patch } as never });
  const book = useQuery({
    queryKey: ['register-book', registerId, params],
    enabled: !!registerId,
    queryFn: () => api.get<RegisterBook>(`/api/documents/registers/${registerId}/book${qs(params)}`),
  });
  const href = (format: 'pdf' | 'xlsx') =>
    `/api/documents/registers/${registerId}/book${qs({ ...params, format })}`;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('documents.nav.registers')}</Typography.Title>
      <Space wrap>
        <Select
          style={{ width: 320 }}
          aria-label={t('documents.field.register')}
          value={registerId}
          onChange={(id) => set({ registerId: id, kind: undefined })}
          options={(registers.data ?? []).map((r) => ({ value: r.id, label: `${r.name} (${r.code})` }))}
        />
        {register?.kind === 'incoming' && (
          <Segmented
            value={kind}
            onChange={(k) => set({ kind: k as 'book' | 'tracking' })}
            options={[
              { value: 'book', label: t('documents.books.book') },
              { value: 'tracking', label: t('documents.books.tracking') },
            ]}
          />
        )}
        <InputNumber
          aria-label={t('documents.field.year')}
          addonBefore={t('documents.field.year')}
          value={year}
          min={2000}
          max={2100}
          onChange={(y) => y && set({ year: y })}
        />
        <DatePicker.RangePicker
          format="DD/MM/YYYY"
          value={search.from && search.to ? [dayjs(search.from), dayjs(search.to)] : null}
          onChange={(r) =>
            set({
              from: r?.[0]?.format('YYYY-MM-DD') ?? undefined,
              to: r?.[1]?.format('YYYY-MM-DD') ?? undefined,
            })
          }
        />
        <Button icon={<PrinterOutlined />} href={href('pdf')} target="_blank" disabled={!registerId}>
          {t('documents.books.pdf')}
        </Button>
        <Button icon={<FileExcelOutlined />} href={href('xlsx')} disabled={!registerId}>
          {t('documents.books.xlsx')}
        </Button>
      </Space>
      {book.data && (
        <Card>
          <Space
            direction="vertical"
            size={0}
            style={{ width: '100%', textAlign: 'center', marginBottom: 12 }}
          >
            {book.data.heading.map((h, i) => (
              <Typography.Text key={h} strong={i < 2} style={{ fontSize: i === 1 ? 18 : 14 }}>
                {h}
              </Typography.Text>
            ))}
          </Space>
          <Table<{ row: string[]; id: string }>
            size="small"
            bordered
            rowKey={(r) => r.id}
            pagination={{ pageSize: 50, showSizeChanger: false }}
            dataSource={book.data.rows.map((row, i) => ({ row, id: book.data.documentIds[i] ?? String(i) }))}
            data-testid="register-book"
            columns={book.data.columns.map((title, i) => ({
              title,
              key: String(i),
              render: (_: unknown, r: { row: string[]; id: string }) =>
                // The subject opens the document.
                title.startsWith('Tên loại') ? (
                  <Link to="/van-ban/$id" params={{ id: r.id }}>
                    {r.row[i]}
                  </Link>
                ) : (
                  r.row[i]
                ),
            }))}
          />
        </Card>
      )}
    </Space>
  );
}
