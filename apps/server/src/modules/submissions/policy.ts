import { AppError } from '../../platform/errors.ts';

/**
 * A citizen works on their own drafts only: someone else's draft is "not found" (404), never
 * "forbidden", so a draft id tells nothing about who else submits what.
 */
export function ownDraft<T extends { citizen_id: string }>(draft: T | undefined, citizenId: string): T {
  if (!draft || draft.citizen_id !== citizenId) throw new AppError('SUBMISSION_DRAFT_NOT_FOUND');
  return draft;
}

/** A submitted draft is read-only. */
export function editable<T extends { step: string }>(draft: T): T {
  if (draft.step === 'submitted') throw new AppError('SUBMISSION_ALREADY_SUBMITTED');
  return draft;
}

/** What a citizen may upload as a paper: PDF, JPEG or PNG by their real (sniffed) type. */
export const UPLOAD_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png']);
/** The longest side of an uploaded image after downscaling. */
export const MAX_IMAGE_SIDE = 2000;
