import type { FormDefinitionInput } from './definition.ts';

/** Tờ khai đăng ký khai sinh as an online form (the demo catalogue's 1.001193, and tests). */
export const birthRegistrationForm: FormDefinitionInput = {
  version: 1,
  title_vi: 'Tờ khai đăng ký khai sinh',
  fields: [
    {
      key: 'childName',
      type: 'text',
      label_vi: 'Họ, chữ đệm và tên của trẻ',
      required: true,
      maxLength: 100,
    },
    {
      key: 'childSex',
      type: 'select',
      label_vi: 'Giới tính của trẻ',
      required: true,
      options: [
        { value: 'nam', label_vi: 'Nam' },
        { value: 'nu', label_vi: 'Nữ' },
      ],
    },
    { key: 'childBirthDate', type: 'date', label_vi: 'Ngày sinh của trẻ', required: true, notFuture: true },
    { key: 'childBirthPlace', type: 'address', label_vi: 'Nơi sinh', required: true },
    { key: 'motherName', type: 'text', label_vi: 'Họ và tên người mẹ', required: true, maxLength: 100 },
    { key: 'motherIdNo', type: 'cccd', label_vi: 'Số CCCD của người mẹ', required: true },
    {
      key: 'fatherName',
      type: 'text',
      label_vi: 'Họ và tên người cha',
      maxLength: 100,
      hint_vi: 'Bỏ trống nếu chưa xác định được cha.',
    },
    { key: 'fatherIdNo', type: 'cccd', label_vi: 'Số CCCD của người cha' },
    {
      key: 'requesterRole',
      type: 'select',
      label_vi: 'Người đi đăng ký là',
      required: true,
      options: [
        { value: 'me', label_vi: 'Mẹ của trẻ' },
        { value: 'cha', label_vi: 'Cha của trẻ' },
        { value: 'khac', label_vi: 'Người thân khác (ông, bà, anh, chị…)' },
      ],
    },
    {
      key: 'requesterRelation',
      type: 'text',
      label_vi: 'Quan hệ với trẻ',
      required: true,
      maxLength: 50,
      showIf: { field: 'requesterRole', equals: 'khac' },
    },
    {
      key: 'requesterIdNo',
      type: 'cccd',
      label_vi: 'Số CCCD của người đi đăng ký',
      required: true,
      showIf: { field: 'requesterRole', equals: 'khac' },
    },
    {
      key: 'witnesses',
      type: 'group',
      label_vi: 'Người làm chứng (nếu có)',
      hint_vi: 'Chỉ cần khi không có giấy chứng sinh.',
      min: 0,
      max: 2,
      fields: [
        { key: 'name', type: 'text', label_vi: 'Họ và tên người làm chứng', required: true, maxLength: 100 },
        { key: 'idNo', type: 'cccd', label_vi: 'Số CCCD người làm chứng', required: true },
      ],
    },
    { key: 'phone', type: 'phone', label_vi: 'Số điện thoại liên hệ', required: true },
    { key: 'email', type: 'email', label_vi: 'Thư điện tử' },
  ],
};
