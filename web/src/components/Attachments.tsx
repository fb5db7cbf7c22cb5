import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useRef } from "react";
import { useApi } from "../api/ApiContext";
import { toApiError, unwrap } from "../api/client";
import { useListChange } from "../api/queries";
import { useCan } from "../auth/SessionContext";
import { Section } from "./Section";
import { InlineError, InlineLoading, QueryStates } from "./States";

const MAX_BYTES = 4_000_000; // the API's RECORDS_MAX_ATTACHMENT_BYTES

function toBase64(buffer: ArrayBuffer): string {
  let binary = "";
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function Attachments({ tenantId, invoiceId }: { tenantId: string; invoiceId: string }) {
  const api = useApi();
  const canWrite = useCan("write");
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const path = { tenantId, id: invoiceId };
  const queryKey = ["attachments", tenantId, invoiceId];
  const list = useQuery({
    queryKey,
    queryFn: async () => unwrap(await api.GET("/tenants/{tenantId}/invoices/{id}/attachments", { params: { path } })).attachments,
  });
  const upload = useListChange(
    queryKey,
    async (file: File) => {
      if (file.size > MAX_BYTES) throw new Error("The file is larger than 4 MB; attach it in Xero directly.");
      const body = { file_name: file.name, mime_type: file.type || "application/octet-stream", content_base64: toBase64(await file.arrayBuffer()) };
      return unwrap(await api.POST("/tenants/{tenantId}/invoices/{id}/attachments", { params: { path }, body }));
    },
    () => {
      if (input.current) input.current.value = "";
    },
  );
  const download = useMutation({
    mutationFn: async ({ attachmentId, fileName }: { attachmentId: string; fileName: string }) => {
      const result = await api.GET("/tenants/{tenantId}/invoices/{id}/attachments/{attachmentId}", {
        params: { path: { ...path, attachmentId } },
        parseAs: "blob",
      });
      if (!result.response.ok) throw toApiError(result.response.status, result.error);
      const url = URL.createObjectURL(result.data as Blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
  });
  const attachments = list.data ?? [];
  return (
    <Section title="Attachments" headingClassName="mb-2 font-semibold">
      <QueryStates query={list} loading={<InlineLoading />} isEmpty={attachments.length === 0} empty={<p className="mb-3 text-sm text-slate-600">No attachments yet.</p>}>
        <ul className="mb-3 flex flex-col gap-1 text-sm">
          {attachments.map((a) => (
            <li key={a.attachment_id} className="flex items-center justify-between gap-2">
              <span className="truncate">{a.file_name}</span>
              <button type="button" className="link shrink-0" onClick={() => download.mutate({ attachmentId: a.attachment_id, fileName: a.file_name })}>
                Download<span className="sr-only"> {a.file_name}</span>
              </button>
            </li>
          ))}
        </ul>
      </QueryStates>
      {canWrite && (
        <div className="flex flex-col gap-2">
          <label htmlFor={inputId} className="text-sm font-medium text-slate-700">
            Attach a file (PDF, image, office document; up to 4 MB)
          </label>
          <input id={inputId} ref={input} type="file" className="text-sm" onChange={(e) => e.target.files?.[0] && upload.mutate(e.target.files[0])} />
          {upload.isPending && <InlineLoading label="Uploading…" />}
        </div>
      )}
      <InlineError error={upload.error ?? download.error} />
    </Section>
  );
}
