// members: who belongs to a team and with which role.
import { Argument, Option, type Command } from 'commander';
import { segment } from '../client.ts';
import { formatTable, type Column } from '../output.ts';
import { action, type Session } from '../session.ts';

interface Member {
  userId: string;
  username: string;
  email: string;
  role: string;
}

const roles = ['admin', 'member', 'viewer'];
const columns: Column<Member>[] = [
  ['USER ID', (m) => m.userId],
  ['USERNAME', (m) => m.username],
  ['EMAIL', (m) => m.email],
  ['ROLE', (m) => m.role],
];
const membersPath = (team: string) => `/teams/${segment(team)}/members`;

const showMember = (session: Session, member: Member) => session.print(member, () => formatTable([member], columns));

export function registerMembers(program: Command) {
  const members = program.command('members').description("manage a team's members");
  members
    .command('list <team>')
    .description('list the members of a team')
    .action(
      action(async (session, team: string) => {
        const page = await session.api.get<{ items: Member[] }>(membersPath(team));
        session.print(page, () => formatTable(page.items, columns));
      }),
    );
  members
    .command('add <team> <user>')
    .description('add a user (id or username) to a team')
    .addOption(new Option('--role <role>', 'their role in the team').choices(roles).makeOptionMandatory())
    .action(
      action(async (session, team: string, user: string, options: { role: string }) =>
        showMember(session, await session.api.post<Member>(membersPath(team), { user, role: options.role })),
      ),
    );
  members
    .command('set-role')
    .description("change a member's role")
    .argument('<team>')
    .argument('<userId>')
    .addArgument(new Argument('<role>').choices(roles))
    .action(
      action(async (session, team: string, userId: string, role: string) =>
        showMember(session, await session.api.patch<Member>(`${membersPath(team)}/${segment(userId)}`, { role })),
      ),
    );
  members
    .command('remove <team> <userId>')
    .description('remove a member from a team (or leave it yourself)')
    .action(
      action(async (session, team: string, userId: string) => {
        await session.api.delete(`${membersPath(team)}/${segment(userId)}`);
        session.say(`removed ${userId} from ${team}`);
      }),
    );
}
