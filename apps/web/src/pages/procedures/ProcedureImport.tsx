import type { ProcedureImportReport } from '@congvu/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFail } from '../../components/FormModal.tsx';

/** /thu-tuc/nhap: load a LayThuTuc JSON file and show the report with every rejected record. */
export default function ProcedureImport() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fail = useFail();
  const [fileError, setFileError] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (body: unknown) => api.post<ProcedureImportReport>('/api/procedures/import', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['procedures'] }),
    onError: fail,
  });
  const r = run.data;
  return (
    <Card title={t('procedures.import.heading')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph>{t('procedures.import.explain')}</Typography.Paragraph>
        <Upload
          accept=".json,application/json"
          maxCount={1}
          showUploadList={false}
          beforeUpload={async (file) => {
            setFileError(null);
            try {
              run.mutate(JSON.parse(await file.text()));
            } catch {
              setFileError(t('procedures.import.notJson'));
            }
            return false;
          }}
        >
          <Button type="primary" loading={run.isPending}>
            {t('procedures.import.choose')}
          </Button>
        </Upload>
        <Button href="/api/procedures/export" target="_blank">
          {t('procedures.import.export')}
        </Button>
        {fileError && <Alert type="error" message={fileError} />}
        {r && (
          <>
            <Descriptions size="small" bordered column={5}>
              <Descriptions.Item label={t('procedures.import.total')}>{r.total}</Descriptions.Item>
              <Descriptions.Item label={t('procedures.import.created')}>{r.created}</Descriptions.Item>
              <Descriptions.Item label={t('procedures.import.updated')}>{r.updated}</Descriptions.Item>
              <Descriptions.Item label={t('procedures.import.unchanged')}>{r.unchanged}</Descriptions.Item>
              <Descriptions.Item label={t('procedures.import.rejected')}>
                {r.rejected.length}
              </Descriptions.Item>
            </Descriptions>
            {r.rejected.length > 0 && (
              <Table
                rowKey="index"
                size="small"
                dataSource={r.rejected}
                pagination={{ pageSize: 50 }}
                columns={[
                  { title: t('procedures.import.index'), dataIndex: 'index', width: 90 },
                  {
                    title: t('procedures.code'),
                    dataIndex: 'code',
                    width: 120,
                    render: (c: string | null) => c ?? '—',
                  },
                  { title: t('procedures.import.reason'), dataIndex: 'reason' },
                ]}
              />
            )}
          </>
        )}
      </Space>
    </Card>
  );
}
