// completion: prints a bash or zsh script that completes commands, subcommands and options,
// generated from the command tree so it never falls behind; zsh runs it through bashcompinit.
import { Argument, type Command } from 'commander';

interface Node {
  path: string;
  words: string[];
}

/** Every command with the words that may follow it: its subcommands and its options. */
function nodesOf(command: Command, path = ''): Node[] {
  const options = command.options.flatMap((option) => [option.long, option.short].filter((flag) => flag !== undefined));
  const words = [...command.commands.map((child) => child.name()), ...options, '--help'];
  return [{ path, words }, ...command.commands.flatMap((child) => nodesOf(child, `${path}/${child.name()}`))];
}

function bashScript(root: Command): string {
  const nodes = nodesOf(root);
  const paths = nodes.filter((node) => node.path !== '').map((node) => node.path);
  const cases = nodes.map((node) => `    "${node.path}") words="${node.words.join(' ')}" ;;`).join('\n');
  return `# cloudplane completion for bash (and zsh through bashcompinit)
_cloudplane() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" node="" word words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$node/$word" in
      ${paths.map((path) => `"${path}"`).join('|')}) node="$node/$word" ;;
    esac
  done
  case "$node" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _cloudplane cloudplane
`;
}

const zshScript = (root: Command) => `autoload -U +X bashcompinit && bashcompinit\n${bashScript(root)}`;

export function registerCompletion(program: Command) {
  program
    .command('completion')
    .description('print a shell completion script: source <(cloudplane completion bash), or zsh')
    .addArgument(new Argument('<shell>').choices(['bash', 'zsh']))
    .action((shell: string) => {
      process.stdout.write(shell === 'zsh' ? zshScript(program) : bashScript(program));
    });
}
