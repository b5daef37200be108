import dayjs from 'dayjs';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'dayjs/locale/vi';
import utc from 'dayjs/plugin/utc';
import { App } from './App.tsx';
import './i18n/index.ts';

dayjs.extend(utc);
dayjs.locale('vi');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
