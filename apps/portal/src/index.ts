/**
 * The public portal's pages as pure render functions: data (contracts types) → an HTML string,
 * escaped, readable without JavaScript. The server's portal module serves them.
 */
export { portalCss } from './assets.ts';
export { escapeHtml, Html, html, raw } from './html.ts';
export {
  type Dictionary,
  dataLang,
  fill,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  LANG_COOKIE,
  LANGS,
  type Lang,
  langOf,
  type MessageKey,
  maybe,
  t,
  viSpan,
} from './i18n.ts';
export { BASE, type LayoutInput, layout, paths, type Section, type Shell } from './layout.ts';
export {
  CSRF_FIELD,
  type FormState,
  forgotPage,
  profilePage,
  RESET_SENT_VI,
  resetPage,
  type SignInInput,
  signInPage,
  signOutPage,
  signUpPage,
  storePage,
} from './pages/account.ts';
export {
  type AgencyOption,
  type CatalogueFilters,
  type CatalogueInput,
  cataloguePage,
} from './pages/catalogue.ts';
export { errorPage } from './pages/error.ts';
export { type HomeInput, homePage } from './pages/home.ts';
export { type LookupInput, lookupPage, NEXT_STEP_VI } from './pages/lookup.ts';
export {
  type MineDossier,
  type MineItem,
  mineDossierPage,
  minePage,
  type PaymentResultInput,
  paymentResultPage,
  RATING_CRITERIA_VI,
  RATING_LEVELS_VI,
  type ResultCheck,
  ratingCriteria,
  ratingLevels,
  type StoreChoice,
  withdrawPage,
} from './pages/mine.ts';
export { localHref, type NoticesInput, noticesPage } from './pages/notices.ts';
export { procedurePage } from './pages/procedure.ts';
export { barChart, type IndexView, type StatsInput, statsPage } from './pages/stats.ts';
export {
  type DraftHeader,
  draftFormPage,
  type FormPageInput,
  fieldId,
  type PaperRow,
  type PapersInput,
  papersPage,
  type ReviewInput,
  reviewPage,
  type StartInput,
  type SubmittedInput,
  submitStartPage,
  submittedPage,
} from './pages/submit.ts';
