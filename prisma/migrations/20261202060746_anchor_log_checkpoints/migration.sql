-- AlterTable
ALTER TABLE "anchor_batches" ADD COLUMN     "log_tree_size" BIGINT;
