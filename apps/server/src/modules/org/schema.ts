import { Agency, IsoDate, Uuid } from '@congvu/contracts';
import { z } from 'zod';

export const IdParams = z.object({ id: Uuid });
export const AgencyListQuery = z.object({
  asOf: IsoDate.optional(),
  q: z.string().max(200).optional(),
  includeInactive: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export const DepartmentListQuery = z.object({
  agencyId: Uuid.optional(),
  includeInactive: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export const DelegationListQuery = z.object({ officialId: Uuid.optional() });
export const AgencyWithSuccessor = Agency.extend({ successor: Agency.nullable() });
export const ReorganisationResult = z.object({ targets: z.array(Agency) });
