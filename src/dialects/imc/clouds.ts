// Where a described machine may go: the clouds (sites) offered here that meet its requirements, ranked by its
// preferences as IMC's policy engine ranks them, and the image its distribution and version name.
import type { Static } from '@sinclair/typebox';
import type { Config } from '../../config/schema.ts';
import type { InfrastructureDescription } from './wire.ts';

type Settings = Config['dialects']['imc'];
type Description = Static<typeof InfrastructureDescription>;

/** The sites offered here: those configured, else the one this server is. */
const offered = (settings: Settings): Settings['clouds'] =>
  Object.keys(settings.clouds).length > 0 ? settings.clouds : { local: { region: 'local' } };

/** PROMINENCE splits an empty setting into `[""]`: an empty name asks for nothing. */
const named = (list: string[] | undefined) => (list ?? []).filter((name) => name !== '');

const weight = (ranking: unknown, name: string | undefined) => {
  const list = Array.isArray(ranking) ? (ranking as string[]) : [];
  const at = name === undefined ? -1 : list.indexOf(name);
  return at === -1 ? 0 : list.length - at;
};

export function imageFor(images: Settings['images'], description: Description): string | undefined {
  const { distribution, version } = description.requirements?.image ?? {};
  if (distribution === undefined || version === undefined) return undefined;
  const versions = Object.entries(images).find(([name]) => name.toLowerCase() === distribution.toLowerCase())?.[1];
  return versions?.[String(version)];
}

/** The names of the clouds that meet every requirement, most preferred first (ties keep the configured order). */
export function candidateClouds(settings: Settings, description: Description): string[] {
  const { requirements = {}, preferences = {} } = description;
  const [sites, regions, groups] = [named(requirements.sites), named(requirements.regions), named(requirements.groups)];
  const fits = ([name, cloud]: [string, Settings['clouds'][string]]) =>
    (sites.length === 0 || sites.includes(name)) &&
    (regions.length === 0 || (cloud.region !== undefined && regions.includes(cloud.region))) &&
    (!cloud.groups?.length || groups.some((group) => cloud.groups!.includes(group)));
  const rank = ([name, cloud]: [string, Settings['clouds'][string]]) =>
    weight(preferences.regions, cloud.region) + weight(preferences.sites, name);
  return Object.entries(offered(settings))
    .filter(fits)
    .sort((a, b) => rank(b) - rank(a))
    .map(([name]) => name);
}

/** Why no cloud fits, in words the client's operator can act on. */
export function whyNoCloud(settings: Settings, description: Description): string {
  const image = description.requirements?.image;
  if (imageFor(settings.images, description) === undefined) {
    return `no image here for distribution ${JSON.stringify(image?.distribution ?? null)} version ${JSON.stringify(image?.version ?? null)} (dialects.imc.images)`;
  }
  const sites = Object.entries(offered(settings)).map(([name, cloud]) => `${name} (region ${cloud.region ?? 'none'})`);
  return `no cloud here meets the requirements; offered: ${sites.join(', ')} (dialects.imc.clouds)`;
}
