import { AddTrustAnchor, List, TrustAnchor, Uuid } from '@congvu/contracts';
import { z } from 'zod';
import { type Api, actor } from '../../platform/http.ts';
import { signingPolicy } from './policy.ts';
import type { SigningService } from './service.ts';

const tags = ['signing'];

export function signingRoutes(app: Api, signing: SigningService) {
  app.get(
    '/api/signing/trust-anchors',
    {
      config: { access: signingPolicy.manageTrust },
      schema: { tags, summary: 'Chứng thư số gốc tin cậy', response: { 200: List(TrustAnchor) } },
    },
    async () => ({ items: await signing.listTrustAnchors() }),
  );
  app.post(
    '/api/signing/trust-anchors',
    {
      config: { access: signingPolicy.manageTrust },
      schema: {
        tags,
        summary: 'Thêm chứng thư số gốc tin cậy (PEM)',
        body: AddTrustAnchor,
        response: { 201: TrustAnchor },
      },
    },
    async (req, reply) => reply.status(201).send(await signing.addTrustAnchor(actor(req), req.body)),
  );
  app.delete(
    '/api/signing/trust-anchors/:id',
    {
      config: { access: signingPolicy.manageTrust },
      schema: {
        tags,
        summary: 'Bỏ một chứng thư số gốc khỏi danh sách tin cậy',
        params: z.object({ id: Uuid }),
      },
    },
    async (req, reply) => {
      await signing.removeTrustAnchor(actor(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
