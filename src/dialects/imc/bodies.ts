// Reads a deploy body: which of IMC's two forms it is, checked against that form, and what it would create.
import type { Static, TSchema } from '@sinclair/typebox';
import { nestsDeeperThan } from '../../domain/depth.ts';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { Config } from '../../config/schema.ts';
import { invalid } from '../../domain/errors.ts';
import type { Infrastructure } from './infrastructure.ts';
import { candidateClouds, imageFor, whyNoCloud } from './clouds.ts';
import { jobFromTable } from './jobs.ts';
import { machineFromDescription } from './machines.ts';
import { InfrastructureDescription, JobTable } from './wire.ts';

/** What a deploy body asks for: the clouds that could take it, best first, and the resource it makes on the first. */
export type DeployPlan = { clouds: string[]; wanted: Infrastructure } | { clouds: []; whyNot: string };

/** Deeper than any real description; deeper still would overflow the stack where the spec is copied or stored. */
const maxDepth = 32;

function checked<T extends TSchema>(check: TypeCheck<T>, body: unknown): Static<T> {
  if (!check.Check(body)) {
    const problems = [...check.Errors(body)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
    throw invalid(`invalid deploy body: ${problems.join('; ')}`);
  }
  return body as Static<T>;
}

const jobTableCheck = TypeCompiler.Compile(JobTable);
const descriptionCheck = TypeCompiler.Compile(InfrastructureDescription);

export const isDescription = (body: Record<string, unknown>) => 'requirements' in body || 'radl' in body;

export function planDeploy(body: unknown, settings: Config['dialects']['imc'], jobCloud: string): DeployPlan {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('the body must be a JSON object: a job table or an infrastructure description');
  if (nestsDeeperThan(body, maxDepth)) throw invalid(`the body is nested more than ${maxDepth} levels deep`);
  if (!isDescription(body as Record<string, unknown>)) {
    const table = checked(jobTableCheck, body);
    return { clouds: [jobCloud], wanted: jobFromTable(table) };
  }
  const description = checked(descriptionCheck, body);
  const image = imageFor(settings.images, description);
  const clouds = image === undefined ? [] : candidateClouds(settings, description);
  if (image === undefined || clouds.length === 0) return { clouds: [], whyNot: whyNoCloud(settings, description) };
  return { clouds, wanted: machineFromDescription(description, { cloud: clouds[0], image }) };
}
