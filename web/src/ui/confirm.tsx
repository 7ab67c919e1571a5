// Confirmation before a destructive action: a modal <dialog> (focus kept inside, Escape cancels).
import { useRef, useState } from 'preact/hooks';

interface Question {
  title: string;
  message: string;
  confirmLabel: string;
  resolve: (confirmed: boolean) => void;
}

/** The dialog to render, and `ask`, which resolves to whether the user confirmed. */
export function useConfirm() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [question, setQuestion] = useState<Question>();

  const ask = (title: string, message: string, confirmLabel: string) =>
    new Promise<boolean>((resolve) => {
      setQuestion({ title, message, confirmLabel, resolve });
      queueMicrotask(() => dialog.current?.showModal());
    });

  const answer = (confirmed: boolean) => {
    dialog.current?.close();
    question?.resolve(confirmed);
    setQuestion(undefined);
  };

  const element = (
    <dialog
      ref={dialog}
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel={() => answer(false)}
    >
      {question && (
        <>
          <h2 id="confirm-title">{question.title}</h2>
          <p id="confirm-message">{question.message}</p>
          <div class="actions">
            <button type="button" class="danger" onClick={() => answer(true)}>
              {question.confirmLabel}
            </button>
            <button type="button" autofocus onClick={() => answer(false)}>
              Cancel
            </button>
          </div>
        </>
      )}
    </dialog>
  );
  return { element, ask };
}
