-- AlterTable
ALTER TABLE "developers" ADD COLUMN     "password_hash" TEXT;

-- CreateTable
CREATE TABLE "developer_sessions" (
    "id" UUID NOT NULL,
    "developer_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "developer_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "developer_sessions_token_hash_key" ON "developer_sessions"("token_hash");

-- CreateIndex
CREATE INDEX "developer_sessions_developer_id_idx" ON "developer_sessions"("developer_id");

-- AddForeignKey
ALTER TABLE "developer_sessions" ADD CONSTRAINT "developer_sessions_developer_id_fkey" FOREIGN KEY ("developer_id") REFERENCES "developers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
