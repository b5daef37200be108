import { App, Modal, type ModalProps } from 'antd';
import type { FormInstance } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

/** A dialog around one form: "Lưu" submits the form, "Hủy" closes; contents are dropped on close. */
export function FormModal(
  props: { form: FormInstance; open: boolean; onClose: () => void; saving?: boolean } & Pick<
    ModalProps,
    'title' | 'width' | 'children'
  >,
) {
  const { t } = useTranslation();
  return (
    <Modal
      open={props.open}
      title={props.title}
      width={props.width}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={props.saving}
      onOk={() => props.form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      {props.children}
    </Modal>
  );
}

/** Shows an API error in the chosen language. */
export function useFail() {
  const { message } = App.useApp();
  return (e: unknown) => {
    void message.error(e instanceof ApiError ? e.text : String(e));
  };
}
