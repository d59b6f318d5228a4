export function ErrorNotice({ title, messages }: { title: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div role="alert" className="mb-3 rounded-md border border-transparent bg-danger-soft px-3 py-2 text-danger">
      <p className="font-medium">{title}</p>
      <ul className="mt-0.5 list-inside list-disc">
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}
