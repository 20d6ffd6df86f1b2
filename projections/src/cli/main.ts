// The analysts' command line: `npm run marquee -- <command>` from the repository root.
import { Command, CommanderError } from 'commander';
import { eventsCommand } from './events';
import { UsageError } from './moments';
import { replayCommand } from './replay';
import { simulateCommand } from './simulate';
import { projectionsCommand } from './status';

const program = new Command('marquee')
  .description(
    "Marquee's analyst tools: rebuild and time-travel views, export and follow events, simulate fill policies",
  )
  .exitOverride();
replayCommand(program);
eventsCommand(program);
projectionsCommand(program);
simulateCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  console.error(`marquee: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
