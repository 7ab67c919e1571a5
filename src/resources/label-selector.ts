// Parses Kubernetes-style label selectors: a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a.
import { invalid } from '../domain/errors.ts';
import type { LabelRequirement } from '../store/resources.ts';
import { labelKeyPattern, labelValuePattern } from './models.ts';

/** Splits on commas that are not inside a parenthesised value list. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

function checkKey(key: string, selector: string) {
  if (!labelKeyPattern.test(key))
    throw invalid(`invalid label key "${key}" in selector "${selector}"`, { field: 'labelSelector' });
}

function checkValues(values: string[], selector: string) {
  for (const value of values) {
    if (!labelValuePattern.test(value))
      throw invalid(`invalid label value "${value}" in selector "${selector}"`, { field: 'labelSelector' });
  }
}

function parseRequirement(text: string, selector: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (setMatch) {
    const values = setMatch[3].split(',').map((v) => v.trim());
    checkKey(setMatch[1], selector);
    checkValues(values, selector);
    return { key: setMatch[1], operator: setMatch[2] === 'in' ? 'in' : 'notIn', values };
  }
  const equalityMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (equalityMatch) {
    checkKey(equalityMatch[1], selector);
    checkValues([equalityMatch[3]], selector);
    return {
      key: equalityMatch[1],
      operator: equalityMatch[2] === '!=' ? 'notEquals' : 'equals',
      values: [equalityMatch[3]],
    };
  }
  const existsMatch = /^(!?)\s*(\S+)$/.exec(text);
  if (existsMatch) {
    checkKey(existsMatch[2], selector);
    return { key: existsMatch[2], operator: existsMatch[1] ? 'doesNotExist' : 'exists', values: [] };
  }
  throw invalid(`cannot parse label selector "${selector}"`, { field: 'labelSelector' });
}

export function parseLabelSelector(selector: string | undefined): LabelRequirement[] {
  if (selector === undefined || selector.trim() === '') return [];
  return splitRequirements(selector).map((part) => {
    if (part === '') throw invalid(`empty requirement in label selector "${selector}"`, { field: 'labelSelector' });
    return parseRequirement(part, selector);
  });
}
