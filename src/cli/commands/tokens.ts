// tokens: your API tokens; the secret is shown once, when it is created.
import { Option, type Command } from 'commander';
import { segment } from '../client.ts';
import { formatFields, formatTable } from '../output.ts';
import { collect, positiveInteger } from '../parse.ts';
import { action } from '../session.ts';

interface Token {
  id: string;
  name: string;
  kind: string;
  scopes: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export function registerTokens(program: Command) {
  const tokens = program.command('tokens').description('manage your API tokens');
  tokens
    .command('list')
    .description('list your live tokens (never their secrets)')
    .action(
      action(async (session) => {
        const page = await session.api.get<{ items: Token[] }>('/tokens');
        session.print(page, () =>
          formatTable(page.items, [
            ['ID', (t) => t.id],
            ['NAME', (t) => t.name],
            ['KIND', (t) => t.kind],
            ['SCOPES', (t) => t.scopes],
            ['EXPIRES', (t) => t.expiresAt],
            ['LAST USED', (t) => t.lastUsedAt],
          ]),
        );
      }),
    );
  tokens
    .command('create <name>')
    .description('create an API token and print its secret once')
    .addOption(
      new Option('--scope <scope>', 'a scope to grant; repeat for more (default: all of yours)')
        .choices(['read', 'write', 'admin'])
        .argParser(collect),
    )
    .option('--expires-in <seconds>', 'lifetime in seconds (at least 60)', positiveInteger)
    .action(
      action(async (session, name: string, options: { scope?: string[]; expiresIn?: number }) => {
        const token = await session.api.post<Token & { token: string }>('/tokens', {
          name,
          scopes: options.scope,
          expiresInSeconds: options.expiresIn,
        });
        session.print(
          token,
          () =>
            formatFields([
              ['id', token.id],
              ['name', token.name],
              ['scopes', token.scopes],
              ['expires', token.expiresAt],
              ['token', token.token],
            ]) + 'The token is shown only now: store it somewhere safe.\n',
        );
      }),
    );
  tokens
    .command('revoke <id>')
    .description('revoke one of your tokens')
    .action(
      action(async (session, id: string) => {
        await session.api.delete(`/tokens/${segment(id)}`);
        session.say(`revoked token ${id}`);
      }),
    );
}
