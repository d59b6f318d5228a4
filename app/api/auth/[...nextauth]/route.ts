import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

type Handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const handler: Handler = async (request, context) => {
  const nextAuth = NextAuth(authOptions()) as unknown as (req: Request, ctx: { params: { nextauth: string[] } }) => Promise<Response>;
  return nextAuth(request, { params: await context.params });
};

export { handler as GET, handler as POST };
