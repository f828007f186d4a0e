import { graphFailure } from '../failures.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { isCompleteForCopy, readMessage, type ExportedMessage } from '../microsoft365/mail-export.js';
import { categoryLabelName, desiredLabelIds } from './labels.js';
import type { Mailbox } from './mailbox.js';

export interface Arrival {
  message: ExportedMessage;
  resumingIntent: boolean;
}

/**
 * Messages to copy, each with every property a first copy needs. Graph sends
 * new messages whole, but a message we have no copy of can still come as a
 * partial update (one whose earlier copy failed, or that changed right after
 * it arrived): that one is read by id instead of filling the gaps with
 * defaults. A message gone meanwhile is left out; the next delta reports the
 * removal.
 */
export async function completeNewMessages(mailbox: Mailbox, arrivals: readonly Arrival[]): Promise<Arrival[]> {
  const { sourceUserId } = mailbox.input;
  const completed = await Promise.all(
    arrivals.map(async (arrival): Promise<Arrival | null> => {
      if (isCompleteForCopy(arrival.message)) return arrival;
      const whole = await mailbox
        .graphPace(() => readMessage(mailbox.graph, sourceUserId, arrival.message.id, (err) => classifyGraphError(err).kind === 'notFound'))
        .catch((err) => {
          throw graphFailure(err);
        });
      return whole ? { ...arrival, message: whole } : null;
    }),
  );
  return completed.filter((arrival): arrival is Arrival => arrival !== null);
}

/** The full label set of a message copied for the first time. */
export async function labelsForNewMessage(mailbox: Mailbox, message: ExportedMessage, folderLabelId: string): Promise<string[]> {
  const categoryLabelIds: string[] = [];
  for (const category of message.categories ?? []) categoryLabelIds.push(await mailbox.labels.ensure(categoryLabelName(category)));
  return desiredLabelIds({ folderLabelId, isRead: message.isRead ?? true, flagged: message.flag?.flagStatus === 'flagged', categoryLabelIds });
}
