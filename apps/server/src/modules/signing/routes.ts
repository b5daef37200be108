import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AddSigningCredential,
  AddTrustAnchor,
  List,
  MySigning,
  SigningCredential,
  TrustAnchor,
  Uuid,
} from '@congvu/contracts';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { type Api, actor, authOf } from '../../platform/http.ts';
import { signingPolicy } from './policy.ts';
import type { SigningService } from './service.ts';

const tags = ['signing'];

export function signingRoutes(app: Api, signing: SigningService, pkiDir: string) {
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

  app.get(
    '/api/signing/credentials',
    {
      config: { access: signingPolicy.manageTrust },
      schema: {
        tags,
        summary: 'Chứng thư số của cán bộ và cơ quan',
        response: { 200: List(SigningCredential) },
      },
    },
    async () => ({ items: await signing.listCredentials() }),
  );
  app.get(
    '/api/signing/credentials/mine',
    {
      config: { access: 'session' },
      schema: {
        tags,
        summary: 'Chứng thư số tôi dùng để ký (cá nhân, và của cơ quan nếu là văn thư)',
        response: { 200: MySigning },
      },
    },
    async (req) => signing.mySigning(authOf(req)),
  );
  app.post(
    '/api/signing/credentials',
    {
      config: { access: signingPolicy.manageTrust },
      schema: {
        tags,
        summary: 'Đăng ký chứng thư số cho cán bộ hoặc cơ quan (.p12 hoặc chứng thư của USB token)',
        body: AddSigningCredential,
        response: { 201: SigningCredential },
      },
    },
    async (req, reply) => reply.status(201).send(await signing.addCredential(actor(req), req.body)),
  );
  app.delete(
    '/api/signing/credentials/:id',
    {
      config: { access: signingPolicy.manageTrust },
      schema: { tags, summary: 'Thu hồi chứng thư số khỏi hệ thống', params: z.object({ id: Uuid }) },
    },
    async (req, reply) => {
      await signing.removeCredential(actor(req), req.params.id);
      return reply.status(204).send();
    },
  );
  // The demo CA publishes its certificate and CRL here (what `congvu pki demo-ca` wrote), so
  // verifiers can check revocation over HTTP as with a real CA.
  app.get(
    '/api/pki/:file',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Chứng thư CA mẫu và danh sách thu hồi (CRL) của nó',
        params: z.object({ file: z.enum(['ca.crl', 'ca.pem']) }),
      },
    },
    async (req, reply) => {
      let data: Buffer;
      try {
        data = await readFile(path.join(pkiDir, req.params.file));
      } catch {
        throw new AppError('NOT_FOUND');
      }
      return reply
        .type(req.params.file === 'ca.crl' ? 'application/pkix-crl' : 'application/x-pem-file')
        .header('cache-control', 'max-age=300')
        .send(data);
    },
  );
}
