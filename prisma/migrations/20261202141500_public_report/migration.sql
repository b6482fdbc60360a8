-- AlterTable
ALTER TABLE "submissions" ADD COLUMN     "report_public" BOOLEAN NOT NULL DEFAULT false;
